namespace ChargeLink.Gateway.V2;

/// <summary>An operator's request for a fresh status from a 2.x station: TriggerMessage StatusNotification for the EVSE
/// (the topology's connector number) and its connector 1; the station answers Accepted, Rejected or NotImplemented,
/// then sends the status.</summary>
public sealed class TriggerMessage : V2Command<TriggerStatus>
{
    public override string Action => "TriggerMessage";

    protected override Task<JsonObject> Payload(
        TriggerStatus command,
        V2Dialect dialect,
        CancellationToken cancellation
    ) =>
        Task.FromResult(
            new JsonObject
            {
                ["requestedMessage"] = "StatusNotification",
                ["evse"] = new JsonObject { ["id"] = command.ConnectorId, ["connectorId"] = 1 },
            }
        );
}
