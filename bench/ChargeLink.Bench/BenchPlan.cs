namespace ChargeLink.Bench;

/// <summary>How much of each scenario a run does.</summary>
public sealed record BenchPlan(
    string Mode,
    int SessionStations,
    int LatencyRate,
    TimeSpan StepLength,
    IReadOnlyList<int> SustainedRates,
    int BaselineStations,
    TimeSpan BaselineLength,
    int BaselineRuns,
    int Connections,
    IReadOnlyList<int> ReplayEvents,
    int ReplayRuns)
{
    // Issue 30's figures: tap-to-start at 100/s for 60 s, and the steps up to 250/s (each step 60 s).
    public static readonly BenchPlan Full = new(
        "full", SessionStations: 1000, LatencyRate: 100, StepLength: TimeSpan.FromSeconds(60), SustainedRates: [5, 20, 50, 100, 150, 200, 250],
        BaselineStations: 50, BaselineLength: TimeSpan.FromSeconds(15), BaselineRuns: 3,
        Connections: 10_000, ReplayEvents: [250_000, 1_000_000], ReplayRuns: 3);

    public static readonly BenchPlan Quick = new(
        "quick", SessionStations: 200, LatencyRate: 50, StepLength: TimeSpan.FromSeconds(8), SustainedRates: [5, 20],
        BaselineStations: 20, BaselineLength: TimeSpan.FromSeconds(4), BaselineRuns: 1,
        Connections: 1_000, ReplayEvents: [20_000, 100_000], ReplayRuns: 1);

    /// <summary>Only scenario 3, at the 10,000 stations, holding them 30 s (long enough for a dotnet-gcdump of the
    /// gateway, whose process id it prints): make bench-connections.</summary>
    public static readonly BenchPlan ConnectionsOnly = new(
        "connections", SessionStations: 1, LatencyRate: 50, StepLength: TimeSpan.Zero, SustainedRates: [],
        BaselineStations: 1, BaselineLength: TimeSpan.Zero, BaselineRuns: 0,
        Connections: 10_000, ReplayEvents: [], ReplayRuns: 0);

    /// <summary>Only the sessions at 50/s for 30 s and the CPU each part spent: to compare two builds (make bench-cpu).</summary>
    public static readonly BenchPlan Cpu = new(
        "cpu", SessionStations: 1000, LatencyRate: 50, StepLength: TimeSpan.FromSeconds(30), SustainedRates: [50],
        BaselineStations: 1, BaselineLength: TimeSpan.Zero, BaselineRuns: 0,
        Connections: 0, ReplayEvents: [], ReplayRuns: 0);

    /// <summary>The same at another rate (make bench-cpu RATE=100): where batches form, the cost per session is another.</summary>
    public static BenchPlan CpuAt(int rate) => rate == 50 ? Cpu : Cpu with { LatencyRate = rate, SustainedRates = [rate] };

    /// <summary>Only scenario 5 (the gateway against a bare ocpp-rpc server, frames per CPU-second), three alternating runs
    /// of 15 s each, on the console: to compare two builds of the gateway or profile it (make bench-baseline-only).</summary>
    public static readonly BenchPlan BaselineOnly = new(
        "baseline", SessionStations: 1, LatencyRate: 50, StepLength: TimeSpan.Zero, SustainedRates: [],
        BaselineStations: 50, BaselineLength: TimeSpan.FromSeconds(15), BaselineRuns: 3,
        Connections: 0, ReplayEvents: [], ReplayRuns: 0);
}
