namespace ChargeLink.Orchestrator.Deciding;

/// <summary>
/// The one place a message from the bus becomes a fact for the decider: the contracts speak of stations, payments and
/// answers as they travel; the domain's facts are what the group reasons about.
/// </summary>
public static class GroupFacts
{
    /// <param name="now">The orchestrator's clock, for a deadline that fell due.</param>
    public static GroupFact Of(IGroupMessage message, DateTimeOffset now) =>
        message switch
        {
            ConnectorStatusChanged m => new ConnectorStatusReported(
                new ConnectorRef(m.ChargePointId, m.ConnectorId),
                m.Status,
                m.StationTimestamp,
                m.ReceivedAt
            ),
            PaymentAuthorized m => new PaymentAuthorizationReported(
                m.PaymentId,
                m.TerminalId,
                new Money(m.AmountMinor, m.Currency),
                m.AuthorizedAt,
                m.ReceivedAt
            ),
            PaymentCancellationRouted m => new PaymentCancellationReported(m.PaymentId, m.ReceivedAt),
            RemoteStartCompleted m => new RemoteStartAnswerReported(
                m.PaymentId,
                new ConnectorRef(m.ChargePointId, m.ConnectorId),
                OutcomeOf(m.Outcome),
                m.ReceivedAt
            ),
            TransactionStarted m => new TransactionStartReported(
                new ConnectorRef(m.ChargePointId, m.ConnectorId),
                m.IdTag,
                m.TransactionId,
                m.MeterStartWh,
                m.ReceivedAt
            ),
            TransactionStopped m => new TransactionStopReported(
                m.ChargePointId,
                m.TransactionId,
                m.MeterStopUnknown ? null : m.MeterStopWh,
                m.ReceivedAt
            ),
            MeterValuesReported m => new MeterReadingReported(
                new ConnectorRef(m.ChargePointId, m.ConnectorId),
                m.TransactionId,
                m.MeterWh,
                m.ReceivedAt
            ),
            StationBooted m => new StationBootReported(m.ChargePointId, m.ReceivedAt),
            GroupDeadlineDue => new ClockTicked(now),
            OperatorVoidRequested m => new OperatorVoidReported(m.PaymentId, m.Operator, m.Reason, m.ReceivedAt),
            OperatorStationActRequested m => new OperatorStationActReported(
                m.ActId,
                m.Act,
                m.Operator,
                m.Reason,
                m.ChargePointId,
                m.ConnectorId,
                m.ReceivedAt,
                m.PaymentId,
                m.TransactionId,
                m.Option
            ),
            OperatorActCompleted m => new OperatorActAnswerReported(
                m.ActId,
                m.ChargePointId,
                m.Answer,
                m.ReceivedAt,
                m.PaymentId
            ),
            _ => throw new ArgumentOutOfRangeException(
                nameof(message),
                message.GetType().Name,
                "a message the group does not decide on"
            ),
        };

    private static RemoteStartOutcome OutcomeOf(CommandOutcome outcome) =>
        outcome switch
        {
            CommandOutcome.Accepted => RemoteStartOutcome.Accepted,
            CommandOutcome.Rejected => RemoteStartOutcome.Rejected,
            CommandOutcome.Offline => RemoteStartOutcome.Offline,
            CommandOutcome.TimedOut => RemoteStartOutcome.TimedOut,
            CommandOutcome.Failed => RemoteStartOutcome.Failed,
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "an outcome the group does not know"),
        };
}
