namespace ChargeLink.Gateway.V16;

/// <summary>Only the idTags ChargeLink handed to the station are accepted (<see cref="IssuedTokens"/>).</summary>
public sealed class Authorize(IssuedTokens tokens) : IV16Action
{
    public string Action => "Authorize";

    public async Task<JsonObject> Answer(StationCall request, CancellationToken cancellation)
    {
        var (station, _, payload) = request;
        var idTag = payload.RequiredString("idTag", IdTag.MaxLength);
        payload.End();
        return new JsonObject
        {
            ["idTagInfo"] = new JsonObject { ["status"] = await tokens.StatusOf(station, idTag, cancellation) },
        };
    }
}
