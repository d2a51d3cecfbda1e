using System.Threading.RateLimiting;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// Failed sign-ins, counted per key (a client address, a station id) in fixed windows with the rate limiter ASP.NET
/// Core's own is built on (System.Threading.RateLimiting): a key that failed <see cref="Allowed"/> times in a window is
/// refused every attempt, right or wrong, until the window ends (429 with Retry-After), so guessing a password or a
/// token costs a window per handful of guesses. Idle keys are dropped by the limiter itself.
/// </summary>
public sealed class FailedAttempts : IDisposable
{
    // Registered with prometheus-net directly, so that they show from the start, at zero.
    private static readonly Prometheus.Counter Failures = Prometheus.Metrics.CreateCounter(
        "chargelink_auth_failures",
        "sign-ins refused for wrong or missing credentials, by kind (station, operator)",
        "kind"
    );

    private static readonly Prometheus.Counter Throttled = Prometheus.Metrics.CreateCounter(
        "chargelink_auth_throttled",
        "sign-ins refused with 429 because their address or station failed too often, by kind",
        "kind"
    );

    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly string _kind;

    /// <param name="allowedPerAddress">Failures an address key ("address:...") may have, where that differs from
    /// <paramref name="allowed"/>: the stations of a site often share one address (a router), and one station with a
    /// wrong password must not lock out the others.</param>
    public FailedAttempts(string kind, int allowed, TimeSpan window, int? allowedPerAddress = null)
    {
        _kind = kind;
        Allowed = allowed;
        Window = window;
        _limiter = PartitionedRateLimiter.Create<string, string>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = key.StartsWith(AddressPrefix, StringComparison.Ordinal)
                    ? allowedPerAddress ?? allowed
                    : allowed,
                Window = window,
                QueueLimit = 0,
                AutoReplenishment = true,
            })
        );
    }

    /// <summary>The prefix of a key that counts a client address.</summary>
    public const string AddressPrefix = "address:";

    /// <summary>Failures a key may have in a window before it is refused.</summary>
    public int Allowed { get; }

    public TimeSpan Window { get; }

    /// <summary>How long until every one of <paramref name="keys"/> may try again; null when all may now.</summary>
    public TimeSpan? RefusedFor(params string[] keys)
    {
        foreach (var key in keys)
        {
            // Zero permits asks whether any are left without taking one.
            using var lease = _limiter.AttemptAcquire(key, 0);
            if (!lease.IsAcquired)
            {
                Throttled.WithLabels(_kind).Inc();
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window;
            }
        }
        return null;
    }

    /// <summary>Counts a failed attempt against each of <paramref name="keys"/>.</summary>
    public void Failed(params string[] keys)
    {
        Failures.WithLabels(_kind).Inc();
        foreach (var key in keys)
        {
            using var _ = _limiter.AttemptAcquire(key, 1);
        }
    }

    /// <summary>The Retry-After header's value for <paramref name="after"/>: whole seconds, at least 1.</summary>
    public static string RetryAfterSeconds(TimeSpan after) =>
        Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _limiter.Dispose();
}
