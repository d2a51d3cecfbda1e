namespace ChargeLink.Domain.Groups;

public sealed partial record GroupState
{
    // The tags stations were given for a payment (one, or two in a stream that spans a change of the tag's key).
    private ImmutableList<string> TagsOf(string paymentId) =>
        Payments.TryGetValue(paymentId, out var memory) ? memory.Tags : [];

    private PaymentMemory MemoryOf(string paymentId) =>
        Payments.GetValueOrDefault(paymentId) ?? new PaymentMemory(null, null, [], []);

    // Every change of a payment's memory goes through here, so that the order of forgetting follows it.
    private GroupState WithMemory(string paymentId, PaymentMemory memory)
    {
        var forgettable = Forgettable;
        if (Payments.GetValueOrDefault(paymentId)?.RetainedFrom is { } was)
            forgettable = forgettable.Remove((was, paymentId));
        if (memory.RetainedFrom is { } from)
            forgettable = forgettable.Add((from, paymentId));
        return this with { Payments = Payments.SetItem(paymentId, memory), Forgettable = forgettable };
    }

    // A transaction is the payment's from its start, or from the stop request of a transaction started with its tag.
    private GroupState WithTransaction(string paymentId, TransactionRef transaction)
    {
        var state = this with { Transactions = Transactions.SetItem(transaction, paymentId) };
        return Payments.TryGetValue(paymentId, out var memory) && !memory.Transactions.Contains(transaction)
            ? state.WithMemory(paymentId, memory with { Transactions = memory.Transactions.Add(transaction) })
            : state;
    }

    // The retention rule: a settled payment no message can still name is forgotten with its tags and transactions, and
    // an early stop whose start never came with it.
    private GroupState Forget(PaymentsForgotten e)
    {
        var (payments, forgettable, issued, cancelled, transactions) = (
            Payments.ToBuilder(),
            Forgettable.ToBuilder(),
            IssuedIdTags.ToBuilder(),
            CancelledIdTags.ToBuilder(),
            Transactions.ToBuilder()
        );
        foreach (var paymentId in e.PaymentIds)
        {
            if (!payments.Remove(paymentId, out var memory))
                continue;
            if (memory.RetainedFrom is { } from)
                forgettable.Remove((from, paymentId));
            foreach (var tag in memory.Tags)
            {
                if (issued.TryGetValue(tag, out var owner) && owner == paymentId)
                    issued.Remove(tag);
                if (cancelled.TryGetValue(tag, out owner) && owner == paymentId)
                    cancelled.Remove(tag);
            }
            foreach (var transaction in memory.Transactions)
            {
                if (transactions.TryGetValue(transaction, out var owner) && owner == paymentId)
                    transactions.Remove(transaction);
            }
        }
        return this with
        {
            Payments = payments.ToImmutable(),
            Forgettable = forgettable.ToImmutable(),
            IssuedIdTags = issued.ToImmutable(),
            CancelledIdTags = cancelled.ToImmutable(),
            Transactions = transactions.ToImmutable(),
            EarlyStops = EarlyStops.RemoveRange(e.EarlyStops),
        };
    }

    // A repeat of the current status keeps its Since and what charged on it; a new status starts afresh.
    private ImmutableDictionary<ConnectorRef, ConnectorReport> Reported(
        ConnectorRef connector,
        ConnectorStatus status,
        DateTimeOffset at
    ) =>
        Reports.TryGetValue(connector, out var current) && current.Status == status
            ? Reports
            : Reports.SetItem(connector, new ConnectorReport(status, at, Charged: false));

    private ImmutableDictionary<ConnectorRef, DateTimeOffset> StatusSeen(ConnectorRef connector, DateTimeOffset at) =>
        LastStatusAt.TryGetValue(connector, out var last) && last > at
            ? LastStatusAt
            : LastStatusAt.SetItem(connector, at);

    // Rule 6 keeps candidates in order of occupancy; equal times keep their order of arrival.
    private static ImmutableList<Candidate> InsertByOccupancy(ImmutableList<Candidate> candidates, Candidate candidate)
    {
        var index = candidates.FindIndex(c => c.OccupiedAt > candidate.OccupiedAt);
        return index < 0 ? candidates.Add(candidate) : candidates.Insert(index, candidate);
    }

    private GroupState StartRequested(ChargingStartRequested e)
    {
        var connector = new ConnectorRef(e.ChargePointId, e.ConnectorId);
        var payment = Waiting(e.PaymentId)
            ?? throw new InvalidOperationException($"start requested for payment {e.PaymentId}, which does not wait");
        var candidate = Candidates.Find(c => c.Connector == connector) ?? new Candidate(connector, e.RequestedAt);
        var memory = MemoryOf(e.PaymentId);
        var started = this with
        {
            Candidates = Candidates.Remove(candidate),
            IssuedIdTags = IssuedIdTags.SetItem(e.IdTag, e.PaymentId),
            WaitingPayments = WaitingPayments.Remove(payment),
            Sessions = Sessions.SetItem(
                connector,
                new Session(payment, candidate, e.IdTag, SessionPhase.Requested, e.RequestedAt, null, null)
            ),
        };
        return started.WithMemory(
            e.PaymentId,
            memory.Tags.Contains(e.IdTag) ? memory : memory with { Tags = memory.Tags.Add(e.IdTag) }
        );
    }

    private GroupState Started(ChargingStarted e)
    {
        var connector = new ConnectorRef(e.ChargePointId, e.ConnectorId);
        var charging = WithSession(e.PaymentId, s =>
            s with
            {
                Phase = SessionPhase.Charging,
                PhaseSince = e.At,
                TransactionId = e.TransactionId,
                MeterStartWh = e.MeterStartWh,
            }
        );
        return charging.WithTransaction(e.PaymentId, new TransactionRef(e.ChargePointId, e.TransactionId)) with
        {
            Reports = Reports.TryGetValue(connector, out var report)
                ? Reports.SetItem(connector, report with { Charged = true })
                : Reports,
        };
    }

    // The payment waits again in its place, kept for this connector alone (the driver's car is there, or gone); what
    // the connector reported before the reboot no longer counts, so its next Preparing makes it a candidate even if it
    // repeats the last one.
    private GroupState StartLost(RemoteStartLost e)
    {
        var session = SessionOf(e.PaymentId)
            ?? throw new InvalidOperationException($"start lost for payment {e.PaymentId}, which has no session");
        var payment = session.Payment with { PinnedTo = session.Connector, PinnedSince = e.At };
        var index = WaitingPayments.FindIndex(p => p.ReceivedAt > payment.ReceivedAt);
        return this with
        {
            Sessions = Sessions.Remove(session.Connector),
            WaitingPayments = index < 0 ? WaitingPayments.Add(payment) : WaitingPayments.Insert(index, payment),
            Reports = Reports.Remove(session.Connector),
        };
    }

    // The payment leaves the queue for the connector that started with its tag after all; the session is past the
    // answer.
    private GroupState ConfirmedLate(RemoteStartConfirmedLate e)
    {
        var connector = new ConnectorRef(e.ChargePointId, e.ConnectorId);
        var payment = Waiting(e.PaymentId)
            ?? throw new InvalidOperationException($"late start for payment {e.PaymentId}, which does not wait");
        var candidate = Candidates.Find(c => c.Connector == connector) ?? new Candidate(connector, e.At);
        return this with
        {
            Candidates = Candidates.RemoveAll(c => c.Connector == connector),
            WaitingPayments = WaitingPayments.Remove(payment),
            Sessions = Sessions.SetItem(
                connector,
                new Session(payment, candidate, e.IdTag, SessionPhase.Accepted, e.At, null, null)
            ),
        };
    }

    // The payment waits again in its original place in the queue. The connector waits again if the station still
    // reports it Preparing, in the place of that report (rule 16: a re-plug during the start counts from the new
    // Preparing); an offline station's connectors are unknown until it reports them again.
    private GroupState StartFailed(RemoteStartFailed e)
    {
        var session = SessionOf(e.PaymentId)
            ?? throw new InvalidOperationException($"start failed for payment {e.PaymentId}, which has no session");
        var payment = session.Payment with
        {
            Excluded = session.Payment.Excluded.Add(session.Connector),
            FailedStarts = session.Payment.FailedStarts + 1,
        };
        var index = WaitingPayments.FindIndex(p => p.ReceivedAt > payment.ReceivedAt);
        var offline = e.Outcome == RemoteStartOutcome.Offline;
        var report = ReportOf(session.Connector);
        // Streams written before connector reports existed have none: the candidate goes back as it was matched.
        var candidate =
            IsOutOfService(session.Connector) ? null
            : report is null ? session.Candidate
            : report.Status == ConnectorStatus.Preparing ? session.Candidate with { OccupiedAt = report.Since }
            : null;
        return this with
        {
            Sessions = Sessions.Remove(session.Connector),
            WaitingPayments = index < 0 ? WaitingPayments.Add(payment) : WaitingPayments.Insert(index, payment),
            Candidates = offline || candidate is null ? Candidates : InsertByOccupancy(Candidates, candidate),
            Reports = offline ? Reports.Remove(session.Connector) : Reports,
        };
    }

    private GroupState WithSession(string paymentId, Func<Session, Session> change)
    {
        var session = SessionOf(paymentId)
            ?? throw new InvalidOperationException($"payment {paymentId} has no session");
        return this with { Sessions = Sessions.SetItem(session.Connector, change(session)) };
    }

    // A settled payment is out of every queue: a capture or void ends it, and so does a cancellation. From then on it
    // waits to be forgotten (the first settlement counts, should an old stream hold two).
    private GroupState Settle(string paymentId, DateTimeOffset at)
    {
        var session = SessionOf(paymentId);
        var memory = MemoryOf(paymentId);
        var after = this with
        {
            WaitingPayments = WaitingPayments.RemoveAll(p => p.PaymentId == paymentId),
            Sessions = session is null ? Sessions : Sessions.Remove(session.Connector),
        };
        return after.WithMemory(paymentId, memory.SettledAt is null ? memory with { SettledAt = at } : memory);
    }
}
