namespace ChargeLink.Domain.Groups;

public static partial class GroupDecider
{
    // Rule 9: StartTransaction with the payment's idTag on the chosen connector means charging (even before the
    // Accepted answer arrives). Rule 7: a transaction started by other means takes the connector out of the candidates.
    private static List<IGroupEvent> OnTransactionStart(
        GroupState state,
        TransactionStartReported fact,
        GroupPolicy policy
    )
    {
        if (state.Sessions.TryGetValue(fact.Connector, out var session) && session.IdTag == fact.IdTag)
        {
            if (session.Phase == SessionPhase.Charging)
                return [];
            var started = new ChargingStarted(
                session.PaymentId,
                fact.Connector.ChargePointId,
                fact.Connector.ConnectorId,
                fact.TransactionId,
                fact.MeterStartWh,
                fact.ReceivedAt
            );
            // Its StopTransaction overtook it: the session starts and ends at once.
            if (
                state.EarlyStops.TryGetValue(
                    new TransactionRef(fact.Connector.ChargePointId, fact.TransactionId),
                    out var stop
                )
            )
                return
                [
                    started,
                    .. Stop(
                        state.Evolve(started),
                        new TransactionStopReported(stop.ChargePointId, stop.TransactionId, stop.MeterStopWh, stop.At),
                        policy
                    ),
                ];
            return [started];
        }
        // A connector runs one transaction at a time: another one (another tag, another id) starting where a session
        // charges means the session's own ended and its StopTransaction was lost (a reboot, a full offline queue). The
        // session ends now at its own last reading, as at the bound (rule 12), so that no reading of the next car is
        // billed to it; the new transaction is then taken as on a free connector, whose plug-in (a Preparing reported
        // while the session ran) it uses: that one must not make the connector a candidate afterwards (rule 16).
        if (
            state.Sessions.TryGetValue(fact.Connector, out var running)
            && running.Phase == SessionPhase.Charging
            && running.TransactionId != fact.TransactionId
        )
        {
            var ended = EndedUnreported(running, fact.ReceivedAt, policy);
            var after = ended.Aggregate(state, (s, e) => s.Evolve(e));
            if (after.ReportOf(fact.Connector) is { IsFreshPreparing: true })
            {
                var used = new ConnectorStatusNoted(
                    fact.Connector.ChargePointId,
                    fact.Connector.ConnectorId,
                    ConnectorStatus.Charging,
                    fact.ReceivedAt
                );
                ended.Add(used);
                after = after.Evolve(used);
            }
            return [.. ended, .. OnTransactionStart(after, fact, policy)];
        }
        // Rules 8 and 15, answer or start lost: the payment gave up on this connector, which started with its tag after
        // all; it still waits. Only a connector that was asked to start for it counts: the tag anywhere else starts no
        // session (rule 8: a session belongs to the connector that was asked), and neither does a connector outside the
        // topology.
        if (
            state.IssuedIdTags.TryGetValue(fact.IdTag, out var waitingId)
            && state.Waiting(waitingId) is { } waiting
            && waiting.WasAsked(fact.Connector)
            && policy.Serves(fact.Connector)
            && !state.Sessions.ContainsKey(fact.Connector)
        )
        {
            var confirmed = new RemoteStartConfirmedLate(
                waitingId,
                fact.Connector.ChargePointId,
                fact.Connector.ConnectorId,
                fact.IdTag,
                fact.ReceivedAt
            );
            return [confirmed, .. OnTransactionStart(state.Evolve(confirmed), fact, policy)];
        }
        var events = new List<IGroupEvent>();
        if (state.IsCandidate(fact.Connector))
            events.Add(
                new ConnectorVacated(
                    fact.Connector.ChargePointId,
                    fact.Connector.ConnectorId,
                    ConnectorStatus.Charging,
                    fact.ReceivedAt
                )
            );
        // Out of service, the same plug-in is no candidate, but it is used all the same: it must not become one when
        // the connector returns to service.
        else if (
            state.IsOutOfService(fact.Connector)
            && state.ReportOf(fact.Connector) is { IsFreshPreparing: true }
            && !state.Sessions.ContainsKey(fact.Connector)
        )
            events.Add(
                new ConnectorStatusNoted(
                    fact.Connector.ChargePointId,
                    fact.Connector.ConnectorId,
                    ConnectorStatus.Charging,
                    fact.ReceivedAt
                )
            );
        // Started with the idTag of a payment cancelled after the start was requested, or of a payment that is no
        // longer this connector's (its start timed out and it moved on, or it is settled): nobody pays for it. Stop it,
        // once: a transaction already known (asked to stop before) is not asked again.
        if (state.Transactions.ContainsKey(new TransactionRef(fact.Connector.ChargePointId, fact.TransactionId)))
            return events;
        if (state.CancelledIdTags.TryGetValue(fact.IdTag, out var cancelledPayment))
            events.Add(
                new ChargingStopRequested(
                    cancelledPayment,
                    fact.Connector.ChargePointId,
                    fact.Connector.ConnectorId,
                    fact.TransactionId,
                    fact.ReceivedAt
                )
            );
        else if (state.IssuedIdTags.TryGetValue(fact.IdTag, out var elsewhere))
            events.Add(
                new ChargingStopRequested(
                    elsewhere,
                    fact.Connector.ChargePointId,
                    fact.Connector.ConnectorId,
                    fact.TransactionId,
                    fact.ReceivedAt
                )
            );
        return events;
    }

    // Rules 10-11: the session ends with its energy; capture energy x tariff, never above the hold; no energy, no
    // capture.
    private static List<IGroupEvent> OnTransactionStop(
        GroupState state,
        TransactionStopReported fact,
        GroupPolicy policy
    )
    {
        var charging = state.Sessions.Values.Any(s =>
            s.Phase == SessionPhase.Charging
            && s.Connector.ChargePointId == fact.ChargePointId
            && s.TransactionId == fact.TransactionId
        );
        if (charging)
            return Stop(state, fact, policy);
        // No session charges with this transaction yet: perhaps its start is still on the way. Remember the stop once.
        // One without a reading is not kept: there is nothing to end at; the session, once it starts, ends at its bound
        // from its own readings (rule 12).
        var awaited = state.Sessions.Values.Any(s =>
            s.Phase != SessionPhase.Charging && s.Connector.ChargePointId == fact.ChargePointId
        );
        return
            awaited
            && fact.MeterStopWh is { } meterStop
            && !state.EarlyStops.ContainsKey(new TransactionRef(fact.ChargePointId, fact.TransactionId))
            ? [new TransactionStopNoted(fact.ChargePointId, fact.TransactionId, meterStop, fact.ReceivedAt)]
            : [];
    }

    private static List<IGroupEvent> Stop(GroupState state, TransactionStopReported fact, GroupPolicy policy)
    {
        var session = state.Sessions.Values.First(s =>
            s.Phase == SessionPhase.Charging
            && s.Connector.ChargePointId == fact.ChargePointId
            && s.TransactionId == fact.TransactionId
        );
        // An end without a reading ends at the session's own last one, as a session whose stop never came (rule 12).
        var meterStop = fact.MeterStopWh ?? session.LastMeterWh ?? session.MeterStartWh ?? 0;
        var energy = EnergyOf(session, meterStop, fact.ReceivedAt, policy);
        var stopped = new ChargingStopped(
            session.PaymentId,
            session.Connector.ChargePointId,
            session.Connector.ConnectorId,
            fact.TransactionId,
            meterStop,
            energy.Wh,
            fact.ReceivedAt
        );
        return [stopped, Settlement(session, energy, VoidReason.NoEnergyDelivered, fact.ReceivedAt, policy)];
    }

    // Rule 12: a session whose stop never came ends at the last reading it kept; with none, at its start (no energy
    // known to be delivered).
    private static List<IGroupEvent> EndedUnreported(Session session, DateTimeOffset at, GroupPolicy policy)
    {
        var meterStop = session.LastMeterWh ?? session.MeterStartWh ?? 0;
        var energy = EnergyOf(session, meterStop, at, policy);
        return
        [
            new ChargingEndedWithoutStop(
                session.PaymentId,
                session.Connector.ChargePointId,
                session.Connector.ConnectorId,
                session.TransactionId!.Value,
                meterStop,
                energy.Wh,
                at
            ),
            Settlement(session, energy, VoidReason.StopNeverReported, at, policy),
        ];
    }

    // Rule 8: the session's own readings, bounded, over the time it charged on ChargeLink's clock.
    private static SessionEnergy EnergyOf(Session session, long meterStopWh, DateTimeOffset at, GroupPolicy policy) =>
        SessionEnergy.Between(session.MeterStartWh, meterStopWh, at - session.PhaseSince, policy.MaxConnectorPowerW);

    // Rules 8, 10-11: energy x the tariff the payment arrived under, rounded half up, never above the hold, in the
    // hold's currency; readings that cannot be believed, nothing delivered or nothing to pay is a void.
    private static IGroupEvent Settlement(
        Session session,
        SessionEnergy energy,
        string noEnergyReason,
        DateTimeOffset at,
        GroupPolicy policy
    )
    {
        var price = session.Payment.PricePerKwhMinor ?? policy.Tariff.PricePerKwhMinor;
        var amount = energy.Implausible ? 0 : Pricing.CaptureAmount(energy.Wh, price, session.Payment.Amount.Minor);
        return energy switch
        {
            { Implausible: true } => new PaymentVoidRequested(session.PaymentId, VoidReason.MeterImplausible, at),
            { Wh: <= 0 } => new PaymentVoidRequested(session.PaymentId, noEnergyReason, at),
            _ when amount <= 0 => new PaymentVoidRequested(session.PaymentId, VoidReason.NothingToCapture, at),
            _ => new PaymentCaptureRequested(
                session.PaymentId,
                amount,
                session.Payment.Amount.Currency,
                energy.Wh,
                SessionId(session, session.TransactionId!.Value),
                at
            ),
        };
    }

    // Rule 12: a charging session's meter reading is kept when it rose, at most once per interval, and always once the
    // session is overdue (the freshest reading then settles it).
    private static List<IGroupEvent> OnMeterReading(GroupState state, MeterReadingReported fact)
    {
        if (!state.Sessions.TryGetValue(fact.Connector, out var session) || session.Phase != SessionPhase.Charging)
            return [];
        if (fact.TransactionId is { } transaction && transaction != session.TransactionId)
            return [];
        // A register no meter holds is no reading (the gateway drops them too); a session without a start reading takes
        // its first one as its start.
        if (
            !MeterBounds.IsPlausibleRegister(fact.MeterWh)
            || fact.MeterWh <= (session.LastMeterWh ?? session.MeterStartWh ?? -1)
        )
            return [];
        if (
            session.OverdueSince is null
            && session.LastMeterAt is { } last
            && fact.ReceivedAt - last < GroupPolicy.MeterReadingInterval
        )
            return [];
        return
        [
            new MeterReadingNoted(
                session.PaymentId,
                fact.Connector.ChargePointId,
                fact.Connector.ConnectorId,
                session.TransactionId!.Value,
                fact.MeterWh,
                fact.ReceivedAt
            ),
        ];
    }

    private static string SessionId(Session session, int transactionId) =>
        Session.IdOf(session.Connector.ChargePointId, session.Connector.ConnectorId, transactionId);
}
