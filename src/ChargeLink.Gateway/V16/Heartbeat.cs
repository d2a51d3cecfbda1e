namespace ChargeLink.Gateway.V16;

/// <summary>The station is alive; it hears the time.</summary>
public sealed class Heartbeat(TimeProvider clock) : IV16Action
{
    public string Action => "Heartbeat";

    public Task<JsonObject> Answer(StationCall request, CancellationToken cancellation)
    {
        var payload = request.Payload;
        payload.End();
        return Task.FromResult(new JsonObject { ["currentTime"] = StationClock.Now(clock) });
    }
}
