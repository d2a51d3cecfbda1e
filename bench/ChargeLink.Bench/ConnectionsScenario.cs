using System.Diagnostics;
using System.Text.Json.Nodes;
using ChargeLink.Simulators;

namespace ChargeLink.Bench;

/// <summary>
/// Scenario 3: many stations on one gateway instance, booted and heartbeating; the gateway's resident memory per
/// connection; then the gateway restarts and every station reconnects, boots and has a Heartbeat answered.
/// </summary>
public sealed class ConnectionsScenario(BenchPlan plan, BenchTopology topology, Deployment deployment)
{
    private const int ConnectingAtOnce = 200;

    public async Task<JsonObject> Run()
    {
        // A fresh gateway, so its memory before the connections is its own and nothing else's.
        await deployment.Stop(Deployment.Gateway);
        await deployment.Start(Deployment.Gateway);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = deployment.ResidentBytes(Deployment.Gateway);

        Progress.Line($"connections: {plan.Connections} stations connect, boot and heartbeat");
        var stations = new StationSimulator?[plan.Connections];
        var clock = Stopwatch.StartNew();
        await ForAll(plan.Connections, async i => stations[i] = await Connect(i));
        var connected = clock.Elapsed;
        if (plan.Mode == BenchPlan.ConnectionsOnly.Mode)
        {
            Progress.Line($"connections: holding them 30 s (gateway process {deployment.ProcessId(Deployment.Gateway)})");
            await Task.Delay(TimeSpan.FromSeconds(25));
        }
        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = deployment.ResidentBytes(Deployment.Gateway);
        Progress.Line($"connections: {plan.Connections} up in {connected.TotalSeconds:0.0} s; gateway RSS {before / 1048576} -> {after / 1048576} MiB");

        Progress.Line("connections: gateway restart, every station reconnects");
        var restart = Stopwatch.StartNew();
        await deployment.Stop(Deployment.Gateway);
        var restartTask = deployment.Start(Deployment.Gateway);
        await Task.WhenAll(stations.Select(async old =>
        {
            await old!.WaitClosed(TimeSpan.FromSeconds(60));
            await old.DisposeAsync();
        }));
        var answered = 0;
        await ForAll(plan.Connections, async i =>
        {
            stations[i] = await Reconnect(i, TimeSpan.FromSeconds(120));
            if (stations[i] is not null)
                Interlocked.Increment(ref answered);
        }, atOnce: 500);
        var reconnected = restart.Elapsed;
        await restartTask;
        foreach (var station in stations)
        {
            if (station is not null)
                await station.DisposeAsync();
        }
        var perConnection = (after - before) / (double)plan.Connections;
        return new JsonObject
        {
            ["stations"] = plan.Connections,
            ["connectSeconds"] = Math.Round(connected.TotalSeconds, 1),
            ["gatewayResidentBeforeMiB"] = Math.Round(before / 1048576.0, 1),
            ["gatewayResidentAfterMiB"] = Math.Round(after / 1048576.0, 1),
            ["bytesPerConnection"] = Math.Round(perConnection),
            ["targetBytesPerConnection"] = 20 * 1024,
            ["memoryMet"] = perConnection <= 20 * 1024,
            ["reconnectSeconds"] = Math.Round(reconnected.TotalSeconds, 1),
            ["reconnectedAndAnswered"] = answered,
            ["targetReconnectSeconds"] = 30,
            ["reconnectMet"] = reconnected.TotalSeconds <= 30 && answered == plan.Connections,
        };
    }

    private async Task<StationSimulator> Connect(int i)
    {
        var station = await StationSimulator.Connect(Deployment.UrlOf(Deployment.Gateway), topology.ConnectionStation(i));
        await station.Call("BootNotification", new JsonObject { ["chargePointVendor"] = "bench", ["chargePointModel"] = "storm" });
        await station.Call("Heartbeat", []);
        return station;
    }

    // As a station does after losing its central system: retry with a pause until connected, boot, heartbeat.
    private async Task<StationSimulator?> Reconnect(int i, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                return await Connect(i);
            }
            catch (Exception e) when (e is UpgradeRefusedException or System.Net.WebSockets.WebSocketException or TimeoutException or HttpRequestException or OperationCanceledException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 + Random.Shared.Next(1000)));
            }
        }
        return null;
    }

    private static async Task ForAll(int count, Func<int, Task> action, int atOnce = ConnectingAtOnce)
    {
        using var gate = new SemaphoreSlim(atOnce);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                await action(i);
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
