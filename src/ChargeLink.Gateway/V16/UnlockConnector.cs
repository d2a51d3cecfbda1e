namespace ChargeLink.Gateway.V16;

/// <summary>An operator's unlock for a 1.6 station: the connector; the station answers Unlocked, UnlockFailed or
/// NotSupported.</summary>
public sealed class UnlockConnector : V16Command<Contracts.UnlockConnector>
{
    public override string Action => "UnlockConnector";

    protected override Task<JsonObject> Payload(Contracts.UnlockConnector command, CancellationToken cancellation) =>
        Task.FromResult(new JsonObject { ["connectorId"] = command.ConnectorId });
}
