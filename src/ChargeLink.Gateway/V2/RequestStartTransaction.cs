namespace ChargeLink.Gateway.V2;

/// <summary>
/// StartCharging for a 2.x station: the EVSE (the topology's connector number), a remoteStartId and an idToken
/// standing for the payment (type <c>Central</c> in 2.0.1, <c>DirectPayment</c> in 2.1).
/// </summary>
public sealed class RequestStartTransaction : V2Command<StartCharging>
{
    public override string Action => "RequestStartTransaction";

    protected override Task<JsonObject> Payload(
        StartCharging command,
        V2Dialect dialect,
        CancellationToken cancellation
    ) =>
        Task.FromResult(
            new JsonObject
            {
                ["evseId"] = command.ConnectorId,
                ["remoteStartId"] = RemoteStartId(command.PaymentId),
                ["idToken"] = new JsonObject { ["idToken"] = command.IdTag, ["type"] = dialect.IdTokenType },
            }
        );

    // Positive and stable: the same payment's start has the same remoteStartId after a restart.
    private static int RemoteStartId(string paymentId)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(paymentId))
            hash = (hash ^ b) * 16777619u;
        return (int)(hash & 0x7FFFFFFF) | 1;
    }
}
