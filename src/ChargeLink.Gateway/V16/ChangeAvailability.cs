namespace ChargeLink.Gateway.V16;

/// <summary>An operator takes a 1.6 connector out of service (Inoperative) or returns it (Operative); the station
/// answers Accepted, Rejected or Scheduled (once its transaction there ends).</summary>
public sealed class ChangeAvailability : V16Command<Contracts.ChangeAvailability>
{
    public override string Action => "ChangeAvailability";

    protected override Task<JsonObject> Payload(Contracts.ChangeAvailability command, CancellationToken cancellation) =>
        Task.FromResult(
            new JsonObject
            {
                ["connectorId"] = command.ConnectorId,
                ["type"] = command.Operative ? "Operative" : "Inoperative",
            }
        );
}
