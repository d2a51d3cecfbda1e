namespace ChargeLink.Bench.Soak;

/// <summary>
/// How long and how hard `make bench-soak` runs: whole sessions at one rate over many groups, long enough that the
/// retention period (shortened here, see <see cref="RetentionSeconds"/>) passes many times over.
/// </summary>
/// <param name="RetentionSeconds">The authorization window plus the retention margin the services run with: a settled payment
/// is forgotten this long after it settled. Production's is 30 minutes; a run of 30 minutes with it would never forget.</param>
public sealed record SoakPlan(string Mode, int Groups, int Rate, TimeSpan Length, TimeSpan SampleEvery, int RetentionSeconds)
{
    public int Sessions => (int)(Rate * Length.TotalSeconds);

    /// <summary>
    /// 100,800 sessions over 500 groups at 42/s: 40 minutes (about 43 in all), with a retention period of 2 minutes (20
    /// periods). 60/s was not held on this project's 2-core machine (soak-20261206-140924: 51/s got through, p50 8.9 s).
    /// </summary>
    public static readonly SoakPlan Full = new("full", Groups: 500, Rate: 42, Length: TimeSpan.FromMinutes(40), SampleEvery: TimeSpan.FromSeconds(10), RetentionSeconds: 120);

    /// <summary>A smoke run of the same shape: 3 minutes at 20/s over 100 groups.</summary>
    public static readonly SoakPlan Quick = new("quick", Groups: 100, Rate: 20, Length: TimeSpan.FromMinutes(3), SampleEvery: TimeSpan.FromSeconds(5), RetentionSeconds: 40);

    /// <summary>The plan, with its length in minutes from CHARGELINK_SOAK_MINUTES when that is set (to try the bench out).</summary>
    public static SoakPlan From(SoakPlan plan) =>
        double.TryParse(Environment.GetEnvironmentVariable("CHARGELINK_SOAK_MINUTES"), System.Globalization.CultureInfo.InvariantCulture, out var minutes)
            ? plan with { Length = TimeSpan.FromMinutes(minutes) }
            : plan;
}
