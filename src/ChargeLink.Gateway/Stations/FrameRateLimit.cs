namespace ChargeLink.Gateway.Stations;

/// <summary>A token bucket per station: <paramref name="perSecond"/> frames sustained, <paramref name="burst"/> at once.</summary>
public sealed class FrameRateLimit(int perSecond, int burst, TimeProvider clock)
{
    private double _tokens = burst;
    private long _last = clock.GetTimestamp();

    public bool TryTake()
    {
        var now = clock.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + (clock.GetElapsedTime(_last, now).TotalSeconds * perSecond));
        _last = now;
        if (_tokens < 1)
            return false;
        _tokens -= 1;
        return true;
    }
}
