namespace ChargeLink.Gateway.Commands;

/// <summary>
/// StartCharging: the remote start of a payment on a connector. Its idTag is claimed with it (a StartTransaction resent
/// after a lost answer is recognised by it) and becomes the connection's to accept; a start the group has given up on
/// is never sent (it would give energy away); a start that went is never sent again.
/// </summary>
public sealed class StartChargingOperation(ChargeLinkSettings settings) : IStationOperation<StartCharging>
{
    public string Subject(StartCharging command) => $"payment {command.PaymentId}";

    public IssuedIdTag? ClaimedIdTag(StartCharging command) => new(command.IdTag, command.ConnectorId);

    public CommandOutcome? TooLate(StartCharging command, DateTimeOffset now) =>
        now - command.RequestedAt > settings.RemoteStartAnswerTimeout ? CommandOutcome.TimedOut : null;

    public void Sending(StationConnection station, StartCharging command) =>
        station.IssueIdTag(command.IdTag, command.HeldAmountMinor);

    public bool MayResendAfterFailure => false;

    public object Completed(StartCharging command, CommandOutcome outcome, string? stationStatus, DateTimeOffset at) =>
        new RemoteStartCompleted(
            command.GroupId,
            command.ChargePointId,
            command.ConnectorId,
            command.PaymentId,
            outcome,
            at
        );
}
