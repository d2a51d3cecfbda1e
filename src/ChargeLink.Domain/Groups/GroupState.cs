using System.Collections.Immutable;

namespace ChargeLink.Domain.Groups;

/// <summary>A connector that is occupied and waits for a payment.</summary>
public sealed record Candidate(ConnectorRef Connector, DateTimeOffset OccupiedAt);

/// <summary>
/// What the station last reported for a connector, since when (a repeat does not move it), and whether a session has
/// charged since: a Preparing that a session already used does not make the connector a candidate again (rule 16).
/// </summary>
public sealed record ConnectorReport(ConnectorStatus Status, DateTimeOffset Since, bool Charged)
{
    /// <summary>A Preparing no session has charged on: the connector is a candidate whenever it carries no
    /// session.</summary>
    public bool IsFreshPreparing => Status == ConnectorStatus.Preparing && !Charged;
}

/// <summary>An authorized payment that waits for a connector, with the connectors that already failed it.</summary>
/// <param name="PinnedTo">Rule 15: the connector whose start a reboot lost; the payment restarts there or
/// nowhere.</param>
/// <param name="PinnedSince">When it was kept for that connector: its wait counts from then.</param>
/// <param name="PricePerKwhMinor">The tariff when the payment arrived (null in streams written before it was
/// recorded).</param>
public sealed record WaitingPayment(
    string PaymentId,
    string TerminalId,
    Money Amount,
    DateTimeOffset ReceivedAt,
    ImmutableHashSet<ConnectorRef> Excluded,
    int FailedStarts,
    ConnectorRef? PinnedTo = null,
    DateTimeOffset? PinnedSince = null,
    long? PricePerKwhMinor = null
)
{
    public bool MayUse(ConnectorRef connector) =>
        PinnedTo is { } pinned ? pinned == connector && !Excluded.Contains(connector) : !Excluded.Contains(connector);

    /// <summary>Rules 5 and 15: when the payment has waited long enough to be voided.</summary>
    public DateTimeOffset WaitsUntil(GroupPolicy policy) => (PinnedSince ?? ReceivedAt) + policy.PaymentWait;

    /// <summary>Whether <paramref name="connector"/> was asked to start for this payment (its start failed or was lost
    /// there).</summary>
    public bool WasAsked(ConnectorRef connector) => Excluded.Contains(connector) || PinnedTo == connector;
}

public enum SessionPhase
{
    /// <summary>RemoteStartTransaction sent, no answer yet.</summary>
    Requested,

    /// <summary>The station accepted; StartTransaction expected.</summary>
    Accepted,

    /// <summary>StartTransaction arrived with the payment's idTag.</summary>
    Charging,
}

/// <summary>A payment paired with a connector, from the start request until the session ends.</summary>
/// <param name="LastMeterWh">Rule 12: the last meter reading kept while charging, and when.</param>
/// <param name="OverdueSince">Rule 12: when the session was found overdue and the station asked to stop.</param>
public sealed record Session(
    WaitingPayment Payment,
    Candidate Candidate,
    string IdTag,
    SessionPhase Phase,
    DateTimeOffset PhaseSince,
    int? TransactionId,
    long? MeterStartWh,
    long? LastMeterWh = null,
    DateTimeOffset? LastMeterAt = null,
    DateTimeOffset? OverdueSince = null
)
{
    public ConnectorRef Connector => Candidate.Connector;
    public string PaymentId => Payment.PaymentId;

    /// <summary>A charging session's id, as captures name it: station, connector and the station's transaction
    /// id.</summary>
    public static string IdOf(string chargePointId, int connectorId, int transactionId) =>
        $"{chargePointId}-{connectorId}-{transactionId}";
}

/// <summary>
/// What the group remembers of a payment it has seen and not yet forgotten (the retention rule, README): when it was
/// authorized (null for a cancellation recorded before its authorization, in streams written before the router held
/// cancellations back), when it was settled, the idTags stations were given for it and the transactions that ran or
/// were asked to stop under it.
/// </summary>
public sealed record PaymentMemory(
    DateTimeOffset? AuthorizedAt,
    DateTimeOffset? SettledAt,
    ImmutableList<string> Tags,
    ImmutableList<TransactionRef> Transactions
)
{
    /// <summary>The moment the retention counts from: the later of its settlement and its authorization.</summary>
    public DateTimeOffset? RetainedFrom =>
        SettledAt is { } settled
            ? (AuthorizedAt is { } authorized && authorized > settled ? authorized : settled)
            : null;
}

/// <summary>A station's transaction, as its StartTransaction and StopTransaction name it.</summary>
public sealed record TransactionRef(string ChargePointId, int TransactionId);

/// <summary>
/// A station group's state: nothing but the fold of its events (<see cref="Evolve"/>). Candidates are kept in order of
/// occupancy and payments in order of arrival, so the first of each is the next match. Its size follows what is open,
/// not the group's age: connectors, waiting payments and sessions, and the settled payments of the last retention
/// period, which <see cref="PaymentsForgotten"/> removes with their tags and transactions (<see cref="Forgettable"/>
/// keeps them in the order they may be forgotten). Every lookup the decider makes by payment, tag or transaction is a
/// dictionary's.
/// </summary>
public sealed record GroupState(
    ImmutableList<Candidate> Candidates,
    ImmutableList<WaitingPayment> WaitingPayments,
    ImmutableDictionary<ConnectorRef, Session> Sessions,
    ImmutableDictionary<string, PaymentMemory> Payments,
    ImmutableSortedSet<(DateTimeOffset From, string PaymentId)> Forgettable,
    ImmutableDictionary<ConnectorRef, DateTimeOffset> LastStatusAt,
    ImmutableDictionary<TransactionRef, TransactionStopNoted> EarlyStops,
    ImmutableDictionary<string, string> CancelledIdTags,
    ImmutableDictionary<string, string> IssuedIdTags,
    ImmutableDictionary<TransactionRef, string> Transactions,
    ImmutableDictionary<ConnectorRef, ConnectorReport> Reports
)
{
    public static readonly GroupState Empty = new(
        [],
        [],
        ImmutableDictionary<ConnectorRef, Session>.Empty,
        ImmutableDictionary.Create<string, PaymentMemory>(StringComparer.Ordinal),
        ImmutableSortedSet.Create<(DateTimeOffset From, string PaymentId)>(
            Comparer<(DateTimeOffset From, string PaymentId)>.Create(
                (a, b) => a.From != b.From ? a.From.CompareTo(b.From) : string.CompareOrdinal(a.PaymentId, b.PaymentId)
            )
        ),
        ImmutableDictionary<ConnectorRef, DateTimeOffset>.Empty,
        ImmutableDictionary<TransactionRef, TransactionStopNoted>.Empty,
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal),
        ImmutableDictionary<TransactionRef, string>.Empty,
        ImmutableDictionary<ConnectorRef, ConnectorReport>.Empty
    );

    /// <summary>Whether the group has seen this payment (authorized or cancelled) and not forgotten it.</summary>
    public bool Knows(string paymentId) => Payments.ContainsKey(paymentId);

    /// <summary>Whether the group has seen this payment settled (captured, voided or cancelled) and not forgotten
    /// it.</summary>
    public bool IsSettled(string paymentId) =>
        Payments.TryGetValue(paymentId, out var memory) && memory.SettledAt is not null;

    /// <summary>Whether a status report received at <paramref name="receivedAt"/> is older than one already
    /// applied.</summary>
    public bool IsStale(ConnectorRef connector, DateTimeOffset receivedAt) =>
        LastStatusAt.TryGetValue(connector, out var last) && receivedAt < last;

    public static GroupState Fold(IEnumerable<IGroupEvent> events) =>
        events.Aggregate(Empty, (state, e) => state.Evolve(e));

    public bool IsCandidate(ConnectorRef connector) => Candidates.Exists(c => c.Connector == connector);

    /// <summary>The connector's current status as the station last reported it, if it has reported since we last lost
    /// track.</summary>
    public ConnectorReport? ReportOf(ConnectorRef connector) => Reports.GetValueOrDefault(connector);

    public Session? SessionOf(string paymentId) => Sessions.Values.FirstOrDefault(s => s.PaymentId == paymentId);

    public WaitingPayment? Waiting(string paymentId) => WaitingPayments.Find(p => p.PaymentId == paymentId);

    /// <summary>The waiting payment a lost start keeps <paramref name="connector"/> for (rule 15), if any.</summary>
    public WaitingPayment? PinnedAt(ConnectorRef connector) => WaitingPayments.Find(p => p.PinnedTo == connector);

    /// <summary>The earliest moment at which a <see cref="ClockTicked"/> would change something, if any.</summary>
    public DateTimeOffset? NextDeadline(GroupPolicy policy)
    {
        var deadlines = WaitingPayments
            .Select(p => (DateTimeOffset?)p.WaitsUntil(policy))
            .Concat(Sessions.Values.Select(s => (DateTimeOffset?)Deadline(s, policy)))
            .Where(d => d is not null)
            .ToList();
        return deadlines.Count > 0 ? deadlines.Min() : null;
    }

    /// <summary>
    /// When the retention rule next forgets something: a quarter of the retention after the oldest settled payment (or
    /// early stop) became forgettable, so that one <see cref="PaymentsForgotten"/> forgets that quarter's payments at
    /// once. It is no deadline of its own (<see cref="NextDeadline"/>): the group forgets with the next events it
    /// appends.
    /// </summary>
    public DateTimeOffset? NextForgetting(GroupPolicy policy)
    {
        var oldest = Forgettable.Count > 0 ? Forgettable.Min.From : (DateTimeOffset?)null;
        foreach (var stop in EarlyStops.Values)
            oldest = oldest is { } o && o <= stop.At ? o : stop.At;
        return oldest + policy.Retention + (policy.Retention / 4);
    }

    /// <summary>When a session in <paramref name="session"/>'s phase has waited too long (rules 8, 9 and 12).</summary>
    public static DateTimeOffset Deadline(Session session, GroupPolicy policy) =>
        session switch
        {
            { Phase: SessionPhase.Requested } => session.PhaseSince + policy.RemoteStartAnswerTimeout,
            { Phase: SessionPhase.Accepted } => session.PhaseSince + policy.TransactionStartTimeout,
            { OverdueSince: { } overdue } => overdue + policy.StopGrace,
            _ => session.PhaseSince + policy.MaxChargingDuration,
        };

    public GroupState Evolve(IGroupEvent @event) =>
        @event switch
        {
            ConnectorOccupied e => this with
            {
                Candidates = InsertByOccupancy(
                    Candidates.RemoveAll(c => c.Connector == new ConnectorRef(e.ChargePointId, e.ConnectorId)),
                    new Candidate(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.OccupiedAt)
                ),
                LastStatusAt = StatusSeen(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.OccupiedAt),
                Reports = Reported(
                    new ConnectorRef(e.ChargePointId, e.ConnectorId),
                    ConnectorStatus.Preparing,
                    e.OccupiedAt
                ),
            },
            ConnectorVacated e => this with
            {
                Candidates = Candidates.RemoveAll(c => c.Connector == new ConnectorRef(e.ChargePointId, e.ConnectorId)),
                LastStatusAt = StatusSeen(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.At),
                Reports = Reported(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.Status, e.At),
            },
            ConnectorStatusNoted e => this with
            {
                LastStatusAt = StatusSeen(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.At),
                Reports = Reported(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.Status, e.At),
            },
            TransactionStopNoted e => this with
            {
                EarlyStops = EarlyStops.SetItem(new TransactionRef(e.ChargePointId, e.TransactionId), e),
            },
            PaymentAuthorizationReceived e => (
                this with
                {
                    WaitingPayments = WaitingPayments.Add(
                        new WaitingPayment(
                            e.PaymentId,
                            e.TerminalId,
                            new Money(e.AmountMinor, e.Currency),
                            e.ReceivedAt,
                            [],
                            0,
                            PricePerKwhMinor: e.PricePerKwhMinor
                        )
                    ),
                }
            ).WithMemory(e.PaymentId, MemoryOf(e.PaymentId) with { AuthorizedAt = e.AuthorizedAt }),
            ChargingStartRequested e => StartRequested(e),
            RemoteStartAccepted e => WithSession(e.PaymentId, s =>
                s with
                {
                    Phase = SessionPhase.Accepted,
                    PhaseSince = e.At,
                }
            ),
            RemoteStartFailed e => StartFailed(e),
            RemoteStartConfirmedLate e => ConfirmedLate(e),
            RemoteStartLost e => StartLost(e),
            ChargingStarted e => Started(e),
            ChargingStopped e => this with
            {
                EarlyStops = EarlyStops.Remove(new TransactionRef(e.ChargePointId, e.TransactionId)),
            },
            // A session whose start reading the station never told takes its first reading as its start.
            MeterReadingNoted e => WithSession(e.PaymentId, s =>
                s with
                {
                    LastMeterWh = e.MeterWh,
                    LastMeterAt = e.At,
                    MeterStartWh = s.MeterStartWh ?? e.MeterWh,
                }
            ),
            ChargingOverdue e => WithSession(e.PaymentId, s => s with { OverdueSince = e.At }),
            ChargingEndedWithoutStop => this,
            PaymentCancelled e => Settle(e.PaymentId, e.At) with
            {
                CancelledIdTags = CancelledIdTags.SetItems(
                    TagsOf(e.PaymentId).Select(tag => KeyValuePair.Create(tag, e.PaymentId))
                ),
            },
            ChargingStopRequested e => (
                this with
                {
                    CancelledIdTags = CancelledIdTags.RemoveRange(TagsOf(e.PaymentId)),
                }
            ).WithTransaction(e.PaymentId, new TransactionRef(e.ChargePointId, e.TransactionId)),
            PaymentCaptureRequested e => Settle(e.PaymentId, e.At),
            PaymentVoidRequested e => Settle(e.PaymentId, e.At),
            PaymentsForgotten e => Forget(e),
            _ => throw new ArgumentOutOfRangeException(
                nameof(@event),
                @event.GetType().Name,
                "an event this state does not know"
            ),
        };

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
            report is null ? session.Candidate
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
