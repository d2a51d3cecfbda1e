namespace ChargeLink.Gateway.V2;

/// <summary>Only the idTokens ChargeLink handed to the station are accepted (<see cref="IssuedTokens"/>).</summary>
public sealed class Authorize(IssuedTokens tokens) : IV2Action
{
    public string Action => "Authorize";

    public async Task<JsonObject> Answer(StationCall request, V2Dialect dialect, CancellationToken cancellation) =>
        new()
        {
            ["idTokenInfo"] = new JsonObject
            {
                ["status"] = await tokens.StatusOf(
                    request.Station,
                    V2Fields.IdToken(request.Call.Payload)!,
                    cancellation
                ),
            },
        };
}
