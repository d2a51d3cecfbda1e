namespace ChargeLink.Gateway.V2;

/// <summary>The station is alive; it hears the time.</summary>
public sealed class Heartbeat(TimeProvider clock) : IV2Action
{
    public string Action => "Heartbeat";

    public Task<JsonObject> Answer(StationCall request, V2Dialect dialect, CancellationToken cancellation) =>
        Task.FromResult(new JsonObject { ["currentTime"] = StationClock.Now(clock) });
}
