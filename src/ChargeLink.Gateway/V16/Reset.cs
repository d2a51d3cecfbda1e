namespace ChargeLink.Gateway.V16;

/// <summary>An operator's reset for a 1.6 station: Soft or Hard; the station answers Accepted or Rejected.</summary>
public sealed class Reset : V16Command<ResetStation>
{
    public override string Action => "Reset";

    protected override Task<JsonObject> Payload(ResetStation command, CancellationToken cancellation) =>
        Task.FromResult(new JsonObject { ["type"] = command.Hard ? "Hard" : "Soft" });
}
