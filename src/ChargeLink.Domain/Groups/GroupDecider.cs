namespace ChargeLink.Domain.Groups;

/// <summary>
/// The rules of the invention as one pure function: (state, fact, now, policy) -> the events to append.
/// Every rule asks the state first, so a redelivered, repeated or late fact yields no events.
/// </summary>
public static class GroupDecider
{
    public static IReadOnlyList<IGroupEvent> Decide(
        GroupState state,
        GroupFact fact,
        DateTimeOffset now,
        GroupPolicy policy
    )
    {
        if (BeyondRetention(state, fact, now, policy) is not null)
            return [];
        if (!policy.InTopology)
            return OnRemovedGroup(state, fact, policy);
        var events = fact switch
        {
            ConnectorStatusReported f => OnConnectorStatus(state, f, policy),
            PaymentAuthorizationReported f => OnPayment(state, f, policy),
            PaymentCancellationReported f => OnCancellation(state, f),
            RemoteStartAnswerReported f => OnRemoteStartAnswer(state, f),
            TransactionStartReported f => OnTransactionStart(state, f, policy),
            TransactionStopReported f => OnTransactionStop(state, f, policy),
            MeterReadingReported f => OnMeterReading(state, f),
            StationBootReported f => OnStationBoot(state, f),
            ClockTicked f => OnClock(state, f.Now, policy),
            _ => throw new ArgumentOutOfRangeException(
                nameof(fact),
                fact.GetType().Name,
                "a fact the decider does not know"
            ),
        };
        if (events.Count == 0)
            return events;
        var after = events.Aggregate(state, (s, e) => s.Evolve(e));
        var reinstated = Reinstate(after).ToList();
        after = reinstated.Aggregate(after, (s, e) => s.Evolve(e));
        List<IGroupEvent> decided = [.. events, .. reinstated, .. Match(after, now, policy)];
        // The retention rule rides on an append that happens anyway: a group's memory grows only with what it appends,
        // so forgetting when it appends keeps it bounded, and costs no message of its own (nor a wake-up after a
        // restart).
        if (
            Forgetting(
                decided.Skip(events.Count + reinstated.Count).Aggregate(after, (s, e) => s.Evolve(e)),
                now,
                policy
            ) is
            { } forgotten
        )
            decided.Add(forgotten);
        return decided;
    }

    /// <summary>
    /// The retention rule (README): a fact about a payment the group does not know that no rule may act on, because the
    /// payment may have been settled and forgotten: an authorization older than the retention period, or a cancellation
    /// (cancellations reach a group only once its authorization has, so an unknown one is of a payment forgotten).
    /// Returns why, for the log and the counter; null for any other fact. Such a fact changes nothing.
    /// </summary>
    public static string? BeyondRetention(GroupState state, GroupFact fact, DateTimeOffset now, GroupPolicy policy) =>
        fact switch
        {
            PaymentAuthorizationReported f
                when !state.Knows(f.PaymentId) && policy.IsBeyondRetention(f.AuthorizedAt, now) =>
                $"authorization of a payment authorized at {f.AuthorizedAt:O}, past the retention "
                    + $"period of {policy.Retention.TotalSeconds:F0} s",
            PaymentCancellationReported f when !state.Knows(f.PaymentId) =>
                "cancellation of a payment the group no longer knows",
            _ => null,
        };

    // A group that left the topology: what can no longer start ends now (its waiting payments and the starts not yet
    // charging are voided), sessions already charging settle by the usual rules from their own readings, and every
    // other fact changes nothing. Nothing is matched.
    private static List<IGroupEvent> OnRemovedGroup(GroupState state, GroupFact fact, GroupPolicy policy)
    {
        var events = fact switch
        {
            TransactionStopReported f => OnTransactionStop(state, f, policy),
            MeterReadingReported f => OnMeterReading(state, f),
            ClockTicked f => OnClock(state, f.Now, policy),
            PaymentAuthorizationReported f when !state.Knows(f.PaymentId) => OnPayment(state, f, policy),
            _ => [],
        };
        var after = events.Aggregate(state, (s, e) => s.Evolve(e));
        var at = fact switch
        {
            ClockTicked f => f.Now,
            _ => ReceivedAt(fact),
        };
        events.AddRange(
            after
                .Sessions.Values.Where(s => s.Phase != SessionPhase.Charging)
                .OrderBy(s => s.PhaseSince)
                .Select(s => new PaymentVoidRequested(s.PaymentId, VoidReason.GroupRemoved, at))
        );
        events.AddRange(
            after.WaitingPayments.Select(p => new PaymentVoidRequested(p.PaymentId, VoidReason.GroupRemoved, at))
        );
        return events;
    }

    private static DateTimeOffset ReceivedAt(GroupFact fact) =>
        fact switch
        {
            ConnectorStatusReported f => f.ReceivedAt,
            PaymentAuthorizationReported f => f.ReceivedAt,
            PaymentCancellationReported f => f.ReceivedAt,
            RemoteStartAnswerReported f => f.ReceivedAt,
            TransactionStartReported f => f.ReceivedAt,
            TransactionStopReported f => f.ReceivedAt,
            MeterReadingReported f => f.ReceivedAt,
            StationBootReported f => f.ReceivedAt,
            ClockTicked f => f.Now,
            _ => throw new ArgumentOutOfRangeException(
                nameof(fact),
                fact.GetType().Name,
                "a fact the decider does not know"
            ),
        };

    // Rule 2: Preparing makes a candidate. Rule 7: leaving Preparing ends candidacy. Rules 13-14: a start not yet
    // charging ends when the car leaves or the connector fails. Rule 16: a Preparing during a session is kept for when
    // it ends. A report older than the last one applied for the connector (reordered on the way) is stale, and one that
    // repeats the connector's current status is no news: neither changes anything, so neither is recorded. A connector
    // outside the topology is no candidate and its reports change nothing. Rule 15: a connector kept for a payment
    // whose start a reboot lost frees the payment when the car has left (Available).
    private static List<IGroupEvent> OnConnectorStatus(
        GroupState state,
        ConnectorStatusReported fact,
        GroupPolicy policy
    )
    {
        var (station, connector) = (fact.Connector.ChargePointId, fact.Connector.ConnectorId);
        if (
            !policy.Serves(fact.Connector)
            || state.IsStale(fact.Connector, fact.ReceivedAt)
            || state.ReportOf(fact.Connector)?.Status == fact.Status
        )
            return [];
        var pinned = state.PinnedAt(fact.Connector);
        var isCandidate = state.IsCandidate(fact.Connector);
        var session = state.Sessions.GetValueOrDefault(fact.Connector);
        var notCharging = session is { Phase: SessionPhase.Requested or SessionPhase.Accepted };
        var noted = new ConnectorStatusNoted(station, connector, fact.Status, fact.ReceivedAt);
        return fact.Status switch
        {
            ConnectorStatus.Preparing when isCandidate => [],
            ConnectorStatus.Preparing when session is null =>
            [
                new ConnectorOccupied(station, connector, fact.ReceivedAt, fact.StationTimestamp),
            ],
            ConnectorStatus.Available when notCharging =>
            [
                noted,
                new PaymentVoidRequested(session!.PaymentId, VoidReason.ChargingNotStarted, fact.ReceivedAt),
            ],
            ConnectorStatus.Available when pinned is not null =>
            [
                isCandidate ? new ConnectorVacated(station, connector, fact.Status, fact.ReceivedAt) : noted,
                new PaymentVoidRequested(pinned.PaymentId, VoidReason.ChargingNotStarted, fact.ReceivedAt),
            ],
            ConnectorStatus.Faulted or ConnectorStatus.Unavailable when notCharging =>
            [
                noted,
                new RemoteStartFailed(
                    session!.PaymentId,
                    station,
                    connector,
                    RemoteStartOutcome.ConnectorUnavailable,
                    fact.ReceivedAt
                ),
            ],
            not ConnectorStatus.Preparing when isCandidate =>
            [
                new ConnectorVacated(station, connector, fact.Status, fact.ReceivedAt),
            ],
            _ => [noted],
        };
    }

    // Rule 15: a reboot forgets the starts the station had not begun; their payments wait again.
    private static List<IGroupEvent> OnStationBoot(GroupState state, StationBootReported fact) =>
        [
            .. state
                .Sessions.Values.Where(s =>
                    s.Connector.ChargePointId == fact.ChargePointId
                    && s.Phase is SessionPhase.Requested or SessionPhase.Accepted
                )
                .OrderBy(s => s.PhaseSince)
                .Select(s => new RemoteStartLost(
                    s.PaymentId,
                    s.Connector.ChargePointId,
                    s.Connector.ConnectorId,
                    fact.ReceivedAt
                )),
        ];

    // Rule 16: a connector whose station last reported a Preparing that no session has charged on, and that carries no
    // session, is a candidate, in the place of that report. This is how a connector comes back after a start that was
    // cancelled or never began, and how a re-plug that arrived while the previous session was still open takes effect.
    private static IEnumerable<IGroupEvent> Reinstate(GroupState state) =>
        state
            .Reports.Where(r =>
                r.Value.IsFreshPreparing && !state.Sessions.ContainsKey(r.Key) && !state.IsCandidate(r.Key)
            )
            .OrderBy(r => r.Value.Since)
            .Select(r => new ConnectorOccupied(r.Key.ChargePointId, r.Key.ConnectorId, r.Value.Since, null));

    // Rule 1: the edge has already mapped the terminal to this group; a paymentId seen before is the same payment. The
    // tariff of the moment is recorded with it. Rule 8: a payment in another currency than the tariff's, or holding
    // more than the maximum (or nothing), can never be captured: it is recorded and voided at once (the adapter refuses
    // both at the door; this is the second check).
    private static List<IGroupEvent> OnPayment(GroupState state, PaymentAuthorizationReported fact, GroupPolicy policy)
    {
        if (state.Knows(fact.PaymentId))
            return [];
        var received = new PaymentAuthorizationReceived(
            fact.PaymentId,
            fact.TerminalId,
            fact.Amount.Minor,
            fact.Amount.Currency,
            fact.AuthorizedAt,
            fact.ReceivedAt,
            policy.Tariff.PricePerKwhMinor
        );
        string? refused =
            !policy.InTopology ? VoidReason.GroupRemoved
            : !string.Equals(fact.Amount.Currency, policy.Tariff.Currency, StringComparison.Ordinal)
                ? VoidReason.CurrencyNotAccepted
            : fact.Amount.Minor <= 0 || fact.Amount.Minor > policy.MaxHoldMinor ? VoidReason.HoldAboveMaximum
            : null;
        return refused is null
            ? [received]
            : [received, new PaymentVoidRequested(fact.PaymentId, refused, fact.ReceivedAt)];
    }

    // Rule 5: a payment that has not started charging is dropped, with no void. A cancellation never overtakes its
    // authorization here: the router holds it back until the payment has reached its group (one of a payment the group
    // no longer knows is beyond retention, above).
    private static List<IGroupEvent> OnCancellation(GroupState state, PaymentCancellationReported fact)
    {
        if (state.IsSettled(fact.PaymentId))
            return [];
        var session = state.SessionOf(fact.PaymentId);
        if (session is { Phase: SessionPhase.Charging })
            return [];
        // Had the station been asked to start, its connector is a candidate again if it is still plugged in (rule 16).
        return [new PaymentCancelled(fact.PaymentId, fact.ReceivedAt)];
    }

    // Rule 8: refused, offline or unanswered -> the payment tries the next candidate, or waits, or is voided later.
    private static List<IGroupEvent> OnRemoteStartAnswer(GroupState state, RemoteStartAnswerReported fact)
    {
        if (
            state.SessionOf(fact.PaymentId) is not { Phase: SessionPhase.Requested } session
            || session.Connector != fact.Connector
        )
            return [];
        return fact.Outcome == RemoteStartOutcome.Accepted
            ?
            [
                new RemoteStartAccepted(
                    fact.PaymentId,
                    fact.Connector.ChargePointId,
                    fact.Connector.ConnectorId,
                    fact.ReceivedAt
                ),
            ]
            :
            [
                new RemoteStartFailed(
                    fact.PaymentId,
                    fact.Connector.ChargePointId,
                    fact.Connector.ConnectorId,
                    fact.Outcome,
                    fact.ReceivedAt
                ),
            ];
    }

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
        var awaited = state.Sessions.Values.Any(s =>
            s.Phase != SessionPhase.Charging && s.Connector.ChargePointId == fact.ChargePointId
        );
        return awaited && !state.EarlyStops.ContainsKey(new TransactionRef(fact.ChargePointId, fact.TransactionId))
            ? [new TransactionStopNoted(fact.ChargePointId, fact.TransactionId, fact.MeterStopWh, fact.ReceivedAt)]
            : [];
    }

    private static List<IGroupEvent> Stop(GroupState state, TransactionStopReported fact, GroupPolicy policy)
    {
        var session = state.Sessions.Values.First(s =>
            s.Phase == SessionPhase.Charging
            && s.Connector.ChargePointId == fact.ChargePointId
            && s.TransactionId == fact.TransactionId
        );
        var energy = EnergyOf(session, fact.MeterStopWh, fact.ReceivedAt, policy);
        var stopped = new ChargingStopped(
            session.PaymentId,
            session.Connector.ChargePointId,
            session.Connector.ConnectorId,
            fact.TransactionId,
            fact.MeterStopWh,
            energy.Wh,
            fact.ReceivedAt
        );
        return [stopped, Settlement(session, energy, VoidReason.NoEnergyDelivered, fact.ReceivedAt, policy)];
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

    // Rules 5, 8, 9 and 12 on the clock: payments that waited too long are voided, unanswered starts count as failed,
    // accepted starts that never began charging are voided and free their connector, sessions charging past the bound
    // are overdue (the station is asked to stop) and, if the stop is still not reported, settled from the last reading.
    private static List<IGroupEvent> OnClock(GroupState state, DateTimeOffset now, GroupPolicy policy)
    {
        var events = new List<IGroupEvent>();
        foreach (var session in state.Sessions.Values.OrderBy(s => s.PhaseSince))
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
                    // Settled from the last reading kept; with none, from the start (no energy known to be delivered).
                    var meterStop = session.LastMeterWh ?? session.MeterStartWh ?? 0;
                    var energy = EnergyOf(session, meterStop, now, policy);
                    events.Add(
                        new ChargingEndedWithoutStop(
                            session.PaymentId,
                            station,
                            connector,
                            session.TransactionId!.Value,
                            meterStop,
                            energy.Wh,
                            now
                        )
                    );
                    events.Add(Settlement(session, energy, VoidReason.StopNeverReported, now, policy));
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
            .Select(s => new TransactionRef(s.ChargePointId, s.TransactionId))
            .ToList();
        return payments.Count + stops.Count > 0 ? new PaymentsForgotten(payments, stops, now) : null;
    }

    // Rules 3 and 6: while candidates and payments both wait, the first payment (in order of arrival) gets the
    // earliest-occupied connector it has not failed on. One payment, one connector; one connector, one session. Rule
    // 15: a connector kept for a payment whose start a reboot lost is that payment's alone. Only the topology's
    // connectors.
    private static IEnumerable<IGroupEvent> Match(GroupState state, DateTimeOffset now, GroupPolicy policy)
    {
        var matched = true;
        while (matched)
        {
            matched = false;
            foreach (var payment in state.WaitingPayments)
            {
                if (
                    state.Candidates.Find(c =>
                        payment.MayUse(c.Connector)
                        && policy.Serves(c.Connector)
                        && (payment.PinnedTo is not null || state.PinnedAt(c.Connector) is null)
                    )
                    is not { } candidate
                )
                    continue;
                var started = new ChargingStartRequested(
                    payment.PaymentId,
                    candidate.Connector.ChargePointId,
                    candidate.Connector.ConnectorId,
                    IdTag.ForPayment(payment.PaymentId, policy.IdTagKey.Span),
                    now
                );
                state = state.Evolve(started);
                matched = true;
                yield return started;
                break;
            }
        }
    }

    private static string SessionId(Session session, int transactionId) =>
        Session.IdOf(session.Connector.ChargePointId, session.Connector.ConnectorId, transactionId);
}
