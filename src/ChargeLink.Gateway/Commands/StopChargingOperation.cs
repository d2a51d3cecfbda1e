namespace ChargeLink.Gateway.Commands;

/// <summary>StopCharging: the remote stop of a session's transaction (an overdue one, rule 12). A second stop is
/// harmless (the station answers Rejected), a missing one is not: after a failure it may go again.</summary>
public sealed class StopChargingOperation : IStationOperation<StopCharging>
{
    public string Subject(StopCharging command) => $"transaction {command.TransactionId}";

    public string? ClaimedIdTag(StopCharging command) => null;

    public CommandOutcome? TooLate(StopCharging command, DateTimeOffset now) => null;

    public void Sending(StationConnection station, StopCharging command) { }

    public bool MayResendAfterFailure => true;

    public object Completed(StopCharging command, CommandOutcome outcome, DateTimeOffset at) =>
        new RemoteStopCompleted(command.GroupId, command.ChargePointId, command.TransactionId, outcome, at);
}
