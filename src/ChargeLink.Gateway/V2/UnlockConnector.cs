namespace ChargeLink.Gateway.V2;

/// <summary>
/// An operator's unlock for a 2.x station: the EVSE (the topology's connector number) and its connector 1 (ChargeLink
/// counts one connector per EVSE); the station answers Unlocked, UnlockFailed, OngoingAuthorizedTransaction or
/// UnknownConnector.
/// </summary>
public sealed class UnlockConnector : V2Command<Contracts.UnlockConnector>
{
    public override string Action => "UnlockConnector";

    protected override Task<JsonObject> Payload(
        Contracts.UnlockConnector command,
        V2Dialect dialect,
        CancellationToken cancellation
    ) => Task.FromResult(new JsonObject { ["evseId"] = command.ConnectorId, ["connectorId"] = 1 });
}
