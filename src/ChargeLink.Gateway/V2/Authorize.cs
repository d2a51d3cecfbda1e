namespace ChargeLink.Gateway.V2;

/// <summary>Only the idTokens ChargeLink handed to the station are accepted (<see cref="IssuedTokens"/>).</summary>
public sealed class Authorize(IssuedTokens tokens) : IV2Action
{
    public string Action => "Authorize";

    public async Task<JsonObject> Answer(
        StationConnection station,
        V2Dialect dialect,
        OcppCall call,
        PayloadReader payload,
        CancellationToken cancellation
    ) =>
        new()
        {
            ["idTokenInfo"] = new JsonObject
            {
                ["status"] = await tokens.StatusOf(station, V2Fields.IdToken(call.Payload)!, cancellation),
            },
        };
}
