namespace ChargeLink.Gateway.V16;

/// <summary>StartCharging for a 1.6 station: the connector and the payment's idTag (at most 20 characters).</summary>
public sealed class RemoteStartTransaction : V16Command<StartCharging>
{
    public override string Action => "RemoteStartTransaction";

    protected override Task<JsonObject> Payload(StartCharging command, CancellationToken cancellation) =>
        Task.FromResult(new JsonObject { ["connectorId"] = command.ConnectorId, ["idTag"] = command.IdTag });
}
