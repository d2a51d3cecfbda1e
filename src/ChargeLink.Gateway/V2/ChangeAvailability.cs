namespace ChargeLink.Gateway.V2;

/// <summary>An operator takes a 2.x EVSE (the topology's connector number) out of service (Inoperative) or returns it
/// (Operative); the station answers Accepted, Rejected or Scheduled (once its transaction there ends).</summary>
public sealed class ChangeAvailability : V2Command<Contracts.ChangeAvailability>
{
    public override string Action => "ChangeAvailability";

    protected override Task<JsonObject> Payload(
        Contracts.ChangeAvailability command,
        V2Dialect dialect,
        CancellationToken cancellation
    ) =>
        Task.FromResult(
            new JsonObject
            {
                ["operationalStatus"] = command.Operative ? "Operative" : "Inoperative",
                ["evse"] = new JsonObject { ["id"] = command.ConnectorId },
            }
        );
}
