namespace ChargeLink.Domain.Groups;

public static partial class GroupDecider
{
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

    // An operator's void (issue 29): only a payment that still waits for a connector, voided as the clock would void
    // it; one settled, unknown, forgotten or with a start under way changes nothing (the second click of a double
    // click among them). Who and why are on the record before the void.
    private static List<IGroupEvent> OnOperatorVoid(GroupState state, OperatorVoidReported fact)
    {
        if (state.Waiting(fact.PaymentId) is null)
            return [];
        return
        [
            new OperatorActed(
                $"void:{fact.PaymentId}",
                OperatorActs.VoidPayment,
                fact.Operator,
                fact.Reason,
                fact.PaymentId,
                null,
                null,
                null,
                fact.ReceivedAt
            ),
            new PaymentVoidRequested(fact.PaymentId, VoidReason.VoidedByOperator, fact.ReceivedAt),
        ];
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
                    state.Candidates.FirstOrDefault(c =>
                        payment.MayUse(c.Connector)
                        && policy.Serves(c.Connector)
                        && !state.IsReturnUnanswered(c.Connector)
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
}
