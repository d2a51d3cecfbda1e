namespace ChargeLink.Domain.Groups;

public static partial class GroupDecider
{
    // Rules 5, 8, 9 and 12 on the clock: payments that waited too long are voided, unanswered starts count as failed,
    // accepted starts that never began charging are voided and free their connector, sessions charging past the bound
    // are overdue (the station is asked to stop) and, if the stop is still not reported, settled from the last reading.
    private static List<IGroupEvent> OnClock(GroupState state, DateTimeOffset now, GroupPolicy policy)
    {
        var events = new List<IGroupEvent>();
        foreach (
            var session in state.Sessions.Values.OrderBy(s => s.PhaseSince).ThenBy(s => s.Connector, ConnectorRef.Order)
        )
        {
            if (GroupState.Deadline(session, policy) > now)
                continue;
            var (station, connector) = (session.Connector.ChargePointId, session.Connector.ConnectorId);
            switch (session)
            {
                case { Phase: SessionPhase.Requested }:
                    events.Add(
                        new RemoteStartFailed(session.PaymentId, station, connector, RemoteStartOutcome.TimedOut, now)
                    );
                    break;
                case { Phase: SessionPhase.Accepted }:
                    events.Add(new PaymentVoidRequested(session.PaymentId, VoidReason.ChargingNotStarted, now));
                    break;
                case { OverdueSince: null }:
                    events.Add(
                        new ChargingOverdue(
                            session.PaymentId,
                            station,
                            connector,
                            session.TransactionId!.Value,
                            session.PhaseSince,
                            now
                        )
                    );
                    break;
                default:
                    events.AddRange(EndedUnreported(session, now, policy));
                    break;
            }
        }
        var afterSessions = events.Aggregate(state, (s, e) => s.Evolve(e));
        var voids = new List<IGroupEvent>();
        foreach (var payment in afterSessions.WaitingPayments)
        {
            if (payment.WaitsUntil(policy) > now)
                continue;
            var reason =
                payment.PinnedTo is not null ? VoidReason.ChargingNotStarted
                : payment.FailedStarts > 0 ? VoidReason.StationRejected
                : VoidReason.NoConnectorOccupied;
            voids.Add(new PaymentVoidRequested(payment.PaymentId, reason, now));
        }
        events.AddRange(voids);
        if (Forgetting(voids.Aggregate(afterSessions, (s, e) => s.Evolve(e)), now, policy) is { } forgotten)
            events.Add(forgotten);
        return events;
    }

    // The retention rule: once the oldest settled payment has been forgettable for a quarter of the retention period,
    // every settled payment past the period is forgotten at once, and so is every early stop kept that long.
    private static PaymentsForgotten? Forgetting(GroupState state, DateTimeOffset now, GroupPolicy policy)
    {
        if (state.NextForgetting(policy) is not { } due || due > now)
            return null;
        var cutoff = now - policy.Retention;
        var payments = state.Forgettable.TakeWhile(p => p.From <= cutoff).Select(p => p.PaymentId).ToList();
        var stops = state
            .EarlyStops.Values.Where(s => s.At <= cutoff)
            .OrderBy(s => s.At)
            .ThenBy(s => s.ChargePointId, StringComparer.Ordinal)
            .ThenBy(s => s.TransactionId)
            .Select(s => new TransactionRef(s.ChargePointId, s.TransactionId))
            .ToList();
        return payments.Count + stops.Count > 0 ? new PaymentsForgotten(payments, stops, now) : null;
    }
}
