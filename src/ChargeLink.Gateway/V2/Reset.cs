namespace ChargeLink.Gateway.V2;

/// <summary>An operator's reset for a 2.x station: Immediate (hard) or OnIdle (soft: once its transactions end); the
/// station answers Accepted, Rejected or Scheduled.</summary>
public sealed class Reset : V2Command<ResetStation>
{
    public override string Action => "Reset";

    protected override Task<JsonObject> Payload(
        ResetStation command,
        V2Dialect dialect,
        CancellationToken cancellation
    ) => Task.FromResult(new JsonObject { ["type"] = command.Hard ? "Immediate" : "OnIdle" });
}
