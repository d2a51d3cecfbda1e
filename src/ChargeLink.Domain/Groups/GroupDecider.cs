namespace ChargeLink.Domain.Groups;

/// <summary>
/// The rules of the invention as one pure function: (state, fact, now, policy) -> the events to append.
/// Every rule asks the state first, so a redelivered, repeated or late fact yields no events. The rules sit in one
/// file per thing they decide about: connectors, payments, sessions and the clock (GroupDecider.*.cs).
/// </summary>
public static partial class GroupDecider
{
    public static IReadOnlyList<IGroupEvent> Decide(
        GroupState state,
        GroupFact fact,
        DateTimeOffset now,
        GroupPolicy policy
    )
    {
        if (BeyondRetention(state, fact, now, policy) is not null)
            return fact is PaymentAuthorizationReported late
                ? [new PaymentAuthorizationExpired(late.PaymentId, late.TerminalId, late.AuthorizedAt, now)]
                : [];
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
            OperatorVoidReported f => OnOperatorVoid(state, f),
            OperatorStationActReported f => OnOperatorStationAct(state, f, policy),
            // A station's answer delivered again (an orchestrator stopped between its append and the acknowledgement,
            // a publish repeated after a lost confirm) is recorded once.
            OperatorActAnswerReported f => state.IsAnswered(f.ActId) ? [] : [OnOperatorActAnswer(state, f)],
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
            // What waits is voided for the group's removal below; an operator's void comes too late to be its reason.
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
                .ThenBy(s => s.Connector, ConnectorRef.Order)
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
            OperatorVoidReported f => f.ReceivedAt,
            OperatorStationActReported f => f.ReceivedAt,
            OperatorActAnswerReported f => f.ReceivedAt,
            _ => throw new ArgumentOutOfRangeException(
                nameof(fact),
                fact.GetType().Name,
                "a fact the decider does not know"
            ),
        };

    // The station's answer, with what the act was and where, while the act is still the last on its connector.
    private static OperatorActAnswered OnOperatorActAnswer(GroupState state, OperatorActAnswerReported fact)
    {
        var known = state.LastActs.Where(a => a.Value.ActId == fact.ActId).Select(a => (Target: a.Key, a.Value.Act));
        var (target, act) = known.FirstOrDefault();
        return new OperatorActAnswered(
            fact.ActId,
            fact.ChargePointId,
            fact.Answer,
            fact.ReceivedAt,
            fact.PaymentId,
            act,
            act is not null && target.ConnectorId > 0 ? target.ConnectorId : null
        );
    }

    // An operator's act on a station (issue 29): on the record; the command it calls for follows from the event
    // (GroupCommands). A stop whose session no longer charges when the group decides is recorded with that answer and
    // sends nothing. Taking a connector out of service, or returning it, changes the group at once (whatever the
    // station answers); asked again, the act is recorded and sent again (the station may have refused), the group
    // unchanged. The second click of a double click, a relay's copy or an act older than the target's last is nothing
    // new; an act the group does not carry, or on what is not the group's, is refused by the write API before here.
    private static List<IGroupEvent> OnOperatorStationAct(
        GroupState state,
        OperatorStationActReported fact,
        GroupPolicy policy
    )
    {
        var target = GroupState.ActTarget(fact.ChargePointId, fact.ConnectorId);
        if (
            !OperatorActs.OnStations.Contains(fact.Act)
            || OperatorActs.OnConnectors.Contains(fact.Act) != fact.ConnectorId.HasValue
            || !(fact.ConnectorId is null ? policy.ServesStation(fact.ChargePointId) : policy.Serves(target))
            || state.IsRepeatedOrOlderAct(target, fact.ActId, fact.ReceivedAt)
        )
            return [];
        var acted = new OperatorActed(
            fact.ActId,
            fact.Act,
            fact.Operator,
            fact.Reason,
            fact.PaymentId,
            fact.ChargePointId,
            fact.ConnectorId,
            fact.TransactionId,
            fact.ReceivedAt,
            fact.Option
        );
        var stillCharging =
            fact.PaymentId is { } paymentId
            && state.SessionOf(paymentId) is { Phase: SessionPhase.Charging } session
            && session.TransactionId == fact.TransactionId
            && session.Connector == new ConnectorRef(fact.ChargePointId, fact.ConnectorId ?? 0);
        var outOfService = state.IsOutOfService(target);
        if (fact.Act == OperatorActs.TakeOutOfService && !outOfService)
            return
            [
                acted,
                new ConnectorTakenOutOfService(
                    fact.ChargePointId,
                    target.ConnectorId,
                    fact.ActId,
                    fact.Operator,
                    fact.Reason,
                    fact.ReceivedAt
                ),
            ];
        if (fact.Act == OperatorActs.ReturnToService && outOfService)
            return
            [
                acted,
                new ConnectorReturnedToService(
                    fact.ChargePointId,
                    target.ConnectorId,
                    fact.ActId,
                    fact.Operator,
                    fact.ReceivedAt
                ),
            ];
        // A moot stop is marked on the act itself: the relay, which reads the act alone, must not send it either.
        return fact.Act == OperatorActs.StopSession && !stillCharging
            ?
            [
                acted with
                {
                    Option = OperatorActs.NotCharging,
                },
                new OperatorActAnswered(
                    fact.ActId,
                    fact.ChargePointId,
                    OperatorActs.NotCharging,
                    fact.ReceivedAt,
                    fact.PaymentId
                ),
            ]
            : [acted];
    }
}
