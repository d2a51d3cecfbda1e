namespace ChargeLink.Gateway.V16;

/// <summary>The station is alive; it hears the time.</summary>
public sealed class Heartbeat(TimeProvider clock) : IV16Action
{
    public string Action => "Heartbeat";

    public Task<JsonObject> Answer(
        StationConnection station,
        OcppCall call,
        PayloadReader payload,
        CancellationToken cancellation
    )
    {
        payload.End();
        return Task.FromResult(new JsonObject { ["currentTime"] = StationClock.Now(clock) });
    }
}
