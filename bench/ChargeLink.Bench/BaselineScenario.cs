using System.Diagnostics;
using System.Text.Json.Nodes;
using ChargeLink.Simulators;

namespace ChargeLink.Bench;

/// <summary>
/// Scenario 5: the same StatusNotification frames, as fast as the stations can send them (each waits for its
/// answer, as OCPP requires), against a bare ocpp-rpc server and against the gateway, which also publishes each one
/// to RabbitMQ. The status alternates (Available, Unavailable), because the gateway passes on no repeat: every frame is
/// a change it publishes and has confirmed before it answers. Runs alternate, and each side's figure is the median of its runs.
/// Each side is measured in frames per second and in frames per CPU-second of its own process (the node server's, the
/// gateway's), which is what "as lean per frame" compares on a machine whose two cores the generator shares.
/// </summary>
public sealed class BaselineScenario(BenchPlan plan, BenchTopology topology, string root, int gatewayProcessId)
{
    private static readonly Uri BaselineUrl = new("http://127.0.0.1:19500");

    public async Task<JsonObject> Run()
    {
        using var server = await StartBaselineServer();
        var (baseline, gateway) = (new List<double>(), new List<double>());
        var (baselinePerCpu, gatewayPerCpu) = (new List<double>(), new List<double>());
        for (var run = 1; run <= plan.BaselineRuns; run++)
        {
            Progress.Line($"baseline run {run}/{plan.BaselineRuns}: ocpp-rpc server");
            var (frames, perCpu) = await FramesPerSecond(BaselineUrl, server.Id);
            (baseline, baselinePerCpu) = ([.. baseline, frames], [.. baselinePerCpu, perCpu]);
            Progress.Line($"baseline run {run}/{plan.BaselineRuns}: ChargeLink gateway (publishing every frame)");
            (frames, perCpu) = await FramesPerSecond(Deployment.UrlOf(Deployment.Gateway), gatewayProcessId);
            (gateway, gatewayPerCpu) = ([.. gateway, frames], [.. gatewayPerCpu, perCpu]);
        }
        server.Kill();
        var (b, g) = (Median(baseline), Median(gateway));
        var (bc, gc) = (Median(baselinePerCpu), Median(gatewayPerCpu));
        return new JsonObject
        {
            ["stations"] = plan.BaselineStations,
            ["secondsPerRun"] = plan.BaselineLength.TotalSeconds,
            ["runs"] = plan.BaselineRuns,
            ["baselineFramesPerSecond"] = Math.Round(b),
            ["gatewayFramesPerSecond"] = Math.Round(g),
            ["baselineRuns"] = new JsonArray([.. baseline.Select(x => (JsonNode)Math.Round(x))]),
            ["gatewayRuns"] = new JsonArray([.. gateway.Select(x => (JsonNode)Math.Round(x))]),
            ["ratio"] = Math.Round(g / b, 2),
            ["baselineFramesPerCpuSecond"] = Math.Round(bc),
            ["gatewayFramesPerCpuSecond"] = Math.Round(gc),
            ["perCpuRatio"] = Math.Round(gc / bc, 2),
            ["target"] = "gateway >= 1x baseline in frames per CPU-second",
            ["met"] = g >= 2 * b,
        };
    }

    private async Task<Process> StartBaselineServer()
    {
        var start = new ProcessStartInfo("node", ["server.js"]) { WorkingDirectory = Path.Combine(root, "bench", "baseline"), RedirectStandardOutput = true };
        start.Environment["PORT"] = BaselineUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var server = Process.Start(start)!;
        var line = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (line != "LISTENING")
            throw new InvalidOperationException($"the ocpp-rpc baseline server did not start (said: {line}); make bench runs npm ci in bench/baseline");
        return server;
    }

    /// <returns>Answered frames per second of the run, and per CPU-second the server process used meanwhile.</returns>
    private async Task<(double PerSecond, double PerCpuSecond)> FramesPerSecond(Uri server, int serverProcessId)
    {
        var stations = await Task.WhenAll(Enumerable.Range(0, plan.BaselineStations).Select(i => StationSimulator.Connect(server, topology.BaselineStation(i))));
        try
        {
            // Warm up each connection, then count answered frames for the run's length.
            foreach (var station in stations)
                await station.Call("BootNotification", new JsonObject { ["chargePointVendor"] = "bench", ["chargePointModel"] = "baseline" });
            var answered = 0L;
            var cpuBefore = CpuUse.Seconds(serverProcessId);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(stations.Select(async station =>
            {
                for (var frame = 0; clock.Elapsed < plan.BaselineLength; frame++)
                {
                    var answer = await station.Call("StatusNotification", new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = frame % 2 == 0 ? "Available" : "Unavailable" });
                    if (answer[0]!.GetValue<int>() == 3)
                        Interlocked.Increment(ref answered);
                }
            }));
            var cpu = CpuUse.Seconds(serverProcessId) - cpuBefore;
            return (answered / clock.Elapsed.TotalSeconds, cpu > 0 ? answered / cpu : 0);
        }
        finally
        {
            foreach (var station in stations)
                await station.DisposeAsync();
        }
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
