namespace ChargeLink.Gateway.V16;

/// <summary>An operator's request for a fresh status from a 1.6 station: TriggerMessage StatusNotification for the
/// connector; the station answers Accepted, Rejected or NotImplemented, then sends the status.</summary>
public sealed class TriggerMessage : V16Command<TriggerStatus>
{
    public override string Action => "TriggerMessage";

    protected override Task<JsonObject> Payload(TriggerStatus command, CancellationToken cancellation) =>
        Task.FromResult(
            new JsonObject { ["requestedMessage"] = "StatusNotification", ["connectorId"] = command.ConnectorId }
        );
}
