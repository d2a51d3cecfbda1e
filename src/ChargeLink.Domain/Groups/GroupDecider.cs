namespace ChargeLink.Domain.Groups;

/// <summary>
/// The rules of the invention as one pure function: (state, fact, now) -> the events to append.
/// Redelivered or repeated facts yield no events, because every rule below asks the state first.
/// </summary>
public static class GroupDecider
{
    public static IReadOnlyList<IGroupEvent> Decide(GroupState state, GroupFact fact, DateTimeOffset now)
    {
        var events = fact switch
        {
            ConnectorStatusReported f => OnConnectorStatus(state, f),
            PaymentAuthorizationArrived f => OnPayment(state, f),
            _ => throw new ArgumentOutOfRangeException(nameof(fact), fact.GetType().Name, "a fact the decider does not know"),
        };
        if (events.Count == 0)
            return events;
        var after = events.Aggregate(state, (s, e) => s.Evolve(e));
        return [.. events, .. Match(after, now)];
    }

    // Rule 3 (Preparing makes a candidate) and rule 7 (leaving the Preparing state ends candidacy).
    private static List<IGroupEvent> OnConnectorStatus(GroupState state, ConnectorStatusReported fact)
    {
        var isCandidate = state.IsCandidate(fact.Connector);
        var hasSession = state.Sessions.ContainsKey(fact.Connector);
        return fact.Status switch
        {
            ConnectorStatus.Preparing when !isCandidate && !hasSession =>
                [new ConnectorOccupied(fact.Connector.ChargePointId, fact.Connector.ConnectorId, fact.ReceivedAt, fact.StationTimestamp)],
            ConnectorStatus.Preparing => [],
            _ when isCandidate =>
                [new ConnectorVacated(fact.Connector.ChargePointId, fact.Connector.ConnectorId, fact.Status, fact.ReceivedAt)],
            _ => [],
        };
    }

    // Rules 1-2: the edge has already mapped the terminal to this group; a paymentId seen before is the same payment.
    private static List<IGroupEvent> OnPayment(GroupState state, PaymentAuthorizationArrived fact) =>
        state.KnownPayments.Contains(fact.PaymentId)
            ? []
            : [new PaymentAuthorizationReceived(fact.PaymentId, fact.TerminalId, fact.Amount.Minor, fact.Amount.Currency, fact.AuthorizedAt, fact.ReceivedAt)];

    // Rules 4-6: while a candidate and a payment both wait, the earliest-occupied connector gets the first payment.
    private static IEnumerable<IGroupEvent> Match(GroupState state, DateTimeOffset now)
    {
        while (state.Candidates.Count > 0 && state.WaitingPayments.Count > 0)
        {
            var candidate = state.Candidates[0];
            var payment = state.WaitingPayments[0];
            var started = new ChargingStartRequested(payment.PaymentId, candidate.Connector.ChargePointId, candidate.Connector.ConnectorId, IdTag.ForPayment(payment.PaymentId), now);
            state = state.Evolve(started);
            yield return started;
        }
    }
}
