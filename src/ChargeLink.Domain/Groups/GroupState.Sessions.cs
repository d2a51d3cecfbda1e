namespace ChargeLink.Domain.Groups;

// What each event changes in a session's life, from the start request to the answer and the readings.
public sealed partial record GroupState
{
    private GroupState StartRequested(ChargingStartRequested e)
    {
        var connector = new ConnectorRef(e.ChargePointId, e.ConnectorId);
        var payment = Waiting(e.PaymentId)
            ?? throw new InvalidOperationException($"start requested for payment {e.PaymentId}, which does not wait");
        var candidate = CandidateAt(connector) ?? new Candidate(connector, e.RequestedAt);
        var memory = MemoryOf(e.PaymentId);
        var (payments, forgettable) = Remembered(
            e.PaymentId,
            memory.Tags.Contains(e.IdTag) ? memory : memory with { Tags = memory.Tags.Add(e.IdTag) }
        );
        return this with
        {
            Candidates = Candidates.Remove(candidate),
            IssuedIdTags = IssuedIdTags.SetItem(e.IdTag, e.PaymentId),
            WaitingPayments = WaitingPayments.Remove(payment),
            Sessions = Sessions.SetItem(
                connector,
                new Session(payment, candidate, e.IdTag, SessionPhase.Requested, e.RequestedAt, null, null)
            ),
            Payments = payments,
            Forgettable = forgettable,
        };
    }

    private GroupState Started(ChargingStarted e)
    {
        var connector = new ConnectorRef(e.ChargePointId, e.ConnectorId);
        var session = SessionFor(e.PaymentId);
        var (transactions, payments, forgettable) = Transacted(
            e.PaymentId,
            new TransactionRef(e.ChargePointId, e.TransactionId)
        );
        return this with
        {
            Sessions = Sessions.SetItem(
                session.Connector,
                session with
                {
                    Phase = SessionPhase.Charging,
                    PhaseSince = e.At,
                    TransactionId = e.TransactionId,
                    MeterStartWh = e.MeterStartWh,
                }
            ),
            Transactions = transactions,
            Payments = payments,
            Forgettable = forgettable,
            Reports = Reports.TryGetValue(connector, out var report)
                ? Reports.SetItem(connector, report with { Charged = true })
                : Reports,
        };
    }

    // A session whose start reading the station never told takes its first reading as its start.
    private GroupState MeterRead(MeterReadingNoted e)
    {
        var session = SessionFor(e.PaymentId);
        return WithSession(
            session with
            {
                LastMeterWh = e.MeterWh,
                LastMeterAt = e.At,
                MeterStartWh = session.MeterStartWh ?? e.MeterWh,
            }
        );
    }

    private GroupState StopRequested(ChargingStopRequested e)
    {
        var (transactions, payments, forgettable) = Transacted(
            e.PaymentId,
            new TransactionRef(e.ChargePointId, e.TransactionId)
        );
        return this with
        {
            CancelledIdTags = CancelledIdTags.RemoveRange(TagsOf(e.PaymentId)),
            Transactions = transactions,
            Payments = payments,
            Forgettable = forgettable,
        };
    }

    // The payment waits again in its place, kept for this connector alone (the driver's car is there, or gone); what
    // the connector reported before the reboot no longer counts, so its next Preparing makes it a candidate even if it
    // repeats the last one.
    private GroupState StartLost(RemoteStartLost e)
    {
        var session = SessionOf(e.PaymentId)
            ?? throw new InvalidOperationException($"start lost for payment {e.PaymentId}, which has no session");
        return this with
        {
            Sessions = Sessions.Remove(session.Connector),
            WaitingPayments = InsertByArrival(
                WaitingPayments,
                session.Payment with
                {
                    PinnedTo = session.Connector,
                    PinnedSince = e.At,
                }
            ),
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
        var candidate = CandidateAt(connector) ?? new Candidate(connector, e.At);
        return this with
        {
            Candidates = Without(Candidates, connector),
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
            WaitingPayments = InsertByArrival(WaitingPayments, payment),
            Candidates = offline || candidate is null ? Candidates : InsertByOccupancy(Candidates, candidate),
            Reports = offline ? Reports.Remove(session.Connector) : Reports,
        };
    }

    private Session SessionFor(string paymentId) =>
        SessionOf(paymentId) ?? throw new InvalidOperationException($"payment {paymentId} has no session");

    // The session as changed; its connector is its candidate's, which no change of a session touches.
    private GroupState WithSession(Session changed) =>
        this with
        {
            Sessions = Sessions.SetItem(changed.Connector, changed),
        };
}
