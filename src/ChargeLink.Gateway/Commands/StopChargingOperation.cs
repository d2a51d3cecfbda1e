namespace ChargeLink.Gateway.Commands;

/// <summary>StopCharging: the remote stop of a session's transaction (an overdue one, rule 12, or an operator's act). A
/// second stop is harmless (the station answers Rejected), a missing one is not: after a failure it may go again. An
/// operator's stop is answered on the act's record.</summary>
public sealed class StopChargingOperation : IStationOperation<StopCharging>
{
    public string Subject(StopCharging command) =>
        command.ActId is { } act
            ? $"transaction {command.TransactionId} (act {act})"
            : $"transaction {command.TransactionId}";

    public IssuedIdTag? ClaimedIdTag(StopCharging command) => null;

    public CommandOutcome? TooLate(StopCharging command, DateTimeOffset now) => null;

    public void Sending(StationConnection station, StopCharging command) { }

    public bool MayResendAfterFailure => true;

    public object Completed(StopCharging command, CommandOutcome outcome, string? stationStatus, DateTimeOffset at) =>
        command.ActId is { } act
            ? new OperatorActCompleted(
                command.GroupId,
                act,
                command.ChargePointId,
                stationStatus ?? outcome.ToString(),
                at,
                command.PaymentId
            )
            : new RemoteStopCompleted(command.GroupId, command.ChargePointId, command.TransactionId, outcome, at);
}
