using System.Threading.RateLimiting;

namespace ChargeLink.Gateway.Stations;

/// <summary>
/// Frames a station may send: a token bucket per station id (FramesPerSecond sustained, FrameBurst at once), held by
/// the gateway rather than the connection, so that a station which reconnects finds its bucket as it left it. Every
/// frame takes a token, a binary one or one refused too; a flood costs the station, not the gateway. The rate limiter
/// is System.Threading.RateLimiting's (ASP.NET Core's own), which drops the buckets of stations gone quiet.
/// </summary>
public sealed class StationFrameLimits(GatewayOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(
        chargePointId => RateLimitPartition.GetTokenBucketLimiter(chargePointId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.FrameBurst,
            TokensPerPeriod = options.FramesPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        })
    );

    /// <summary>Takes one frame's token from <paramref name="chargePointId"/>'s bucket; false when it is
    /// empty.</summary>
    public bool TryTake(string chargePointId)
    {
        using var lease = _limiter.AttemptAcquire(chargePointId);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
