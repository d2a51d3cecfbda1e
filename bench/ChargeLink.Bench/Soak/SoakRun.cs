using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChargeLink.Simulators;
using Npgsql;

namespace ChargeLink.Bench.Soak;

/// <summary>
/// `make bench-soak`: the whole system at one steady rate for half an hour over 500 groups, sampled as it runs (each
/// service's resident memory, every part's CPU, the command relay's lag, the largest group's kept state), then the
/// orchestrator restarted cold and each group's first decision after the restart timed. Whether costs grow with age shows
/// as a slope: memory over the last three quarters, CPU per session in the first and the last tenth.
/// </summary>
public sealed partial class SoakRun(SoakPlan plan, string root)
{
    private const string Secret = "bench-secret";

    private sealed record Sample(double Minutes, int Sessions, double OrchestratorMiB, double GatewayMiB, double? RelayLagSeconds, Dictionary<string, double> Cpu);

    public async Task<int> Run()
    {
        var id = "soak-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var rabbitMq = Cli.CliOptions.Env("CHARGELINK_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/");
        var postgres = Cli.CliOptions.Env("CHARGELINK_POSTGRES", "Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink;Password=chargelink");
        var schema = id.Replace('-', '_');
        var sessionsPlan = BenchPlan.Cpu with { Mode = "soak", SessionStations = plan.Groups, StepLength = plan.Length, SustainedRates = [plan.Rate], LatencyRate = plan.Rate };
        var topology = new BenchTopology(sessionsPlan);
        var topologyPath = Path.Combine(Path.GetTempPath(), $"chargelink-{id}-topology.json");
        await topology.Write(topologyPath);
        var settings = new Dictionary<string, string>(Deployment.Settings(rabbitMq, postgres, schema, topologyPath, Secret))
        {
            // The retention period, halved between the adapter's window and the margin the groups add to it.
            ["CHARGELINK_PAYMENT_MAX_AGE_SECONDS"] = (plan.RetentionSeconds / 2).ToString(CultureInfo.InvariantCulture),
            ["CHARGELINK_RETENTION_MARGIN_SECONDS"] = (plan.RetentionSeconds - (plan.RetentionSeconds / 2)).ToString(CultureInfo.InvariantCulture),
        };
        var results = new JsonObject
        {
            ["runAt"] = DateTimeOffset.UtcNow.ToString("O"),
            ["mode"] = plan.Mode,
            ["machine"] = Machine.Describe(),
            ["plan"] = JsonSerializer.SerializeToNode(new { plan.Groups, plan.Rate, LengthSeconds = plan.Length.TotalSeconds, plan.Sessions, plan.RetentionSeconds }),
        };
        var samples = new List<Sample>();
        await using (var deployment = new Deployment(root, settings))
        {
            Progress.Line($"soak {id}: {plan.Sessions:N0} sessions over {plan.Groups} groups at {plan.Rate}/s, retention {plan.RetentionSeconds} s (schema {schema})");
            await deployment.Start(Deployment.Gateway);
            await deployment.Start(Deployment.PaymentAdapter);
            await deployment.Start(Deployment.Orchestrator);
            var cpu = new CpuUse(deployment);
            using var stopSampling = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            var sessions = new SessionsScenario(sessionsPlan, topology, rabbitMq, Secret, postgres, schema);
            var sampling = SampleUntil(deployment, cpu, clock, sessions, samples, stopSampling.Token);
            // 20 s of warm-up at 5/s, then the run itself; the sessions' own checks (lost, doubled, captured in the store) hold.
            var step = (await sessions.Run([plan.Rate])).Single();
            await stopSampling.CancelAsync();
            await sampling;
            results["sessions"] = JsonSerializer.SerializeToNode(step);
            results["largestGroupState"] = await LargestGroupState(postgres, schema);
            results["coldStart"] = await ColdStart(deployment, topology, postgres, schema);
            results["samples"] = JsonSerializer.SerializeToNode(samples.Select(s => new { s.Minutes, s.Sessions, s.OrchestratorMiB, s.GatewayMiB, s.RelayLagSeconds }));
            results["verdict"] = Verdict(samples, step, results["coldStart"]!);
        }
        File.Delete(topologyPath);
        var directory = Path.Combine(root, "bench", "results");
        var written = await SoakReport.Write(directory, id, results, samples.Select(s => (s.Minutes, s.OrchestratorMiB, s.GatewayMiB, s.RelayLagSeconds ?? 0)).ToList());
        Progress.Line($"results: {string.Join(", ", written)}");
        return results["verdict"]!["met"]!.GetValue<bool>() ? 0 : 1;
    }

    /// <summary>
    /// Only the cold restart, on the data a finished soak left in <paramref name="schema"/> (of the same plan): to see where
    /// a cold start's time goes without running the soak again. Written to the console, not to bench/results.
    /// </summary>
    public async Task<int> ColdStartOf(string schema)
    {
        var rabbitMq = Cli.CliOptions.Env("CHARGELINK_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/");
        var postgres = Cli.CliOptions.Env("CHARGELINK_POSTGRES", "Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink;Password=chargelink");
        var topology = new BenchTopology(BenchPlan.Cpu with { Mode = "soak", SessionStations = plan.Groups, StepLength = plan.Length, SustainedRates = [plan.Rate], LatencyRate = plan.Rate });
        var topologyPath = Path.Combine(Path.GetTempPath(), $"chargelink-{schema}-topology.json");
        await topology.Write(topologyPath);
        await using (var deployment = new Deployment(root, Deployment.Settings(rabbitMq, postgres, schema, topologyPath, Secret)))
        {
            await deployment.Start(Deployment.Gateway);
            await deployment.Start(Deployment.PaymentAdapter);
            await deployment.Start(Deployment.Orchestrator);
            // The last cold start left each connector occupied: freed first, so that the next report decides something.
            var stations = await Task.WhenAll(Enumerable.Range(0, plan.Groups).Select(i => StationSimulator.Connect(Deployment.UrlOf(Deployment.Gateway), topology.SessionStation(i))));
            await Task.WhenAll(stations.Select(s => s.Call("StatusNotification", new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = "Available" })));
            await UntilNoNewEvents(postgres, schema);
            foreach (var station in stations)
                await station.DisposeAsync();
            var coldStart = await ColdStart(deployment, topology, postgres, schema);
            coldStart.Remove("allFirstDecisionSeconds");
            Console.WriteLine(coldStart.ToJsonString());
        }
        File.Delete(topologyPath);
        return 0;
    }

    private static async Task UntilNoNewEvents(string postgres, string schema)
    {
        long last = -1;
        while (await LastSequence(postgres, schema) is var now && now != last)
        {
            last = now;
            await Task.Delay(1000);
        }
    }

    private static async Task<long> LastSequence(string postgres, string schema)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from \"{schema}\".mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task SampleUntil(Deployment deployment, CpuUse cpu, Stopwatch clock, SessionsScenario sessions, List<Sample> samples, CancellationToken stop)
    {
        using var http = new HttpClient();
        while (!stop.IsCancellationRequested)
        {
            var lag = RelayLag().Match(await http.GetStringAsync(new Uri(Deployment.ManagementUrlOf(Deployment.Orchestrator), "/metrics"), CancellationToken.None));
            samples.Add(new Sample(
                Math.Round(clock.Elapsed.TotalMinutes, 3),
                sessions.Completed,
                Math.Round(deployment.ResidentBytes(Deployment.Orchestrator) / 1048576.0, 1),
                Math.Round(deployment.ResidentBytes(Deployment.Gateway) / 1048576.0, 1),
                lag.Success ? double.Parse(lag.Groups[1].Value, CultureInfo.InvariantCulture) : null,
                cpu.Snapshot()));
            if (samples.Count % 30 == 0)
                Progress.Line($"soak: {samples[^1].Minutes:0.0} min, orchestrator {samples[^1].OrchestratorMiB} MiB, gateway {samples[^1].GatewayMiB} MiB, relay lag {samples[^1].RelayLagSeconds} s");
            try
            {
                await Task.Delay(plan.SampleEvery, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // The state each group keeps, as its latest snapshot holds it: the largest in bytes and in payments remembered.
    private static async Task<JsonObject> LargestGroupState(string postgres, string schema)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select count(*), coalesce(max(length(data ->> 'State')), 0), coalesce(max(jsonb_array_length((data ->> 'State')::jsonb -> 'Payments')), 0), " +
            $"coalesce(max((data ->> 'Version')::bigint), 0) from \"{schema}\".{ChargeLink.EventLog.StoredNames.StreamSnapshots}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new JsonObject
        {
            ["groupsWithSnapshot"] = reader.GetInt64(0),
            ["largestStateBytes"] = reader.GetInt32(1),
            ["mostPaymentsRemembered"] = reader.GetInt32(2),
            ["longestStreamAtSnapshot"] = reader.GetInt64(3),
        };
    }

    /// <summary>
    /// The orchestrator stopped and started again while every group's station stays connected; once it is ready, each
    /// station reports its connector occupied at once, and each group's first decision (its ConnectorOccupied in the
    /// stream) is timed from then. The same burst is timed first on the running orchestrator (and the connectors freed
    /// again): 500 reports at once take time to decide however warm the service, and the difference is the cold start's.
    /// </summary>
    private async Task<JsonObject> ColdStart(Deployment deployment, BenchTopology topology, string postgres, string schema)
    {
        Progress.Line($"cold start: {plan.Groups} stations connected; the same burst of reports warm, then after a restart");
        var stations = await Task.WhenAll(Enumerable.Range(0, plan.Groups).Select(i => StationSimulator.Connect(Deployment.UrlOf(Deployment.Gateway), topology.SessionStation(i))));
        try
        {
            var (warm, _) = await FirstDecisions(stations, postgres, schema);
            await Task.WhenAll(stations.Select(s => s.Call("StatusNotification", new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = "Available" })));
            await UntilNoNewEvents(postgres, schema);
            await deployment.Stop(Deployment.Orchestrator);
            var starting = Stopwatch.StartNew();
            await deployment.Start(Deployment.Orchestrator);
            var ready = starting.Elapsed;
            var (seconds, answered) = await FirstDecisions(stations, postgres, schema);
            Progress.Line($"cold start: ready after {ready.TotalSeconds:0.0} s; {seconds.Count}/{plan.Groups} groups decided, the last {seconds.LastOrDefault()} s after the reports (warm: {warm.LastOrDefault()} s)");
            return new JsonObject
            {
                ["readySeconds"] = Math.Round(ready.TotalSeconds, 2),
                ["reportsAnsweredSeconds"] = Math.Round(answered.TotalSeconds, 3),
                ["groups"] = plan.Groups,
                ["groupsDecided"] = seconds.Count,
                ["firstDecisionSeconds"] = Percentiles(seconds),
                ["warmDecisionSeconds"] = Percentiles(warm),
                ["allFirstDecisionSeconds"] = new JsonArray([.. seconds.Select(s => (JsonNode)s)]),
            };
        }
        finally
        {
            foreach (var station in stations)
                await station.DisposeAsync();
        }
    }

    private static JsonObject Percentiles(List<double> seconds) => new()
    {
        ["p50"] = seconds.Count == 0 ? null : seconds[seconds.Count / 2],
        ["max"] = seconds.Count == 0 ? null : seconds[^1],
    };

    /// <summary>Every station reports its connector occupied at once; each group's first decision after that, in seconds, sorted.</summary>
    private async Task<(List<double> Seconds, TimeSpan Answered)> FirstDecisions(StationSimulator[] stations, string postgres, string schema)
    {
        // Only events after this one are looked at: a probe that scanned the whole log every 50 ms would take a core
        // of PostgreSQL from the start it measures (it did: 400 ms a scan at 900,000 events).
        var before = await LastSequence(postgres, schema);
        var sent = DateTimeOffset.UtcNow;
        await Task.WhenAll(stations.Select(s => s.Call("StatusNotification", new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = "Preparing" })));
        // The gateway answers a report once its fact is on the broker: what comes after this is the orchestrator's.
        var answered = DateTimeOffset.UtcNow - sent;
        var decided = new Dictionary<Guid, DateTimeOffset>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        while (decided.Count < plan.Groups && DateTime.UtcNow < deadline)
        {
            await using var command = new NpgsqlCommand(
                $"select stream_id, min(timestamp) from \"{schema}\".mt_events where seq_id > $1 and type = 'connector_occupied_v1' group by stream_id", connection)
            {
                Parameters = { new NpgsqlParameter { Value = before } },
            };
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                decided[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
            await Task.Delay(50);
        }
        return ([.. decided.Values.Select(at => Math.Round((at - sent).TotalSeconds, 3)).Order()], answered);
    }

    // The issue's bars: memory flat over the last three quarters, CPU per session flat from the first tenth to the last,
    // the relay within 5 s, every group's first decision after a cold start within 2 s.
    private JsonObject Verdict(List<Sample> samples, StepResult step, JsonNode coldStart)
    {
        // The run proper: from the end of the sessions' warm-up (5/s for 20 s) to the last session's end, in sessions done.
        const int warmUp = 100;
        var run = samples.Where(s => s.Sessions >= warmUp && s.Sessions <= warmUp + step.Sessions).ToList();
        var (from, length) = run.Count > 1 ? (run[0].Minutes, run[^1].Minutes - run[0].Minutes) : (0, 0);
        var lastThreeQuarters = run.Where(s => s.Minutes >= from + (length / 4)).Select(s => s.OrchestratorMiB).ToList();
        var memorySpread = lastThreeQuarters.Count == 0 ? 1 : (lastThreeQuarters.Max() - lastThreeQuarters.Min()) / lastThreeQuarters.Min();
        var tenths = Enumerable.Range(0, 10).Select(t => CpuPerSession(run, warmUp + (step.Sessions * t / 10), warmUp + (step.Sessions * (t + 1) / 10))).ToList();
        var cpuChange = tenths[0] > 0 ? (tenths[^1] - tenths[0]) / tenths[0] : 1;
        var maxLag = run.Select(s => s.RelayLagSeconds).OfType<double>().DefaultIfEmpty(double.PositiveInfinity).Max();
        var coldMax = coldStart["firstDecisionSeconds"]!["max"]?.GetValue<double>() ?? double.PositiveInfinity;
        var allDecided = coldStart["groupsDecided"]!.GetValue<int>() == plan.Groups;
        var memoryMet = memorySpread < 0.15;
        var cpuMet = Math.Abs(cpuChange) <= 0.10;
        var lagMet = maxLag < 5;
        var coldMet = allDecided && coldMax <= 2;
        return new JsonObject
        {
            ["orchestratorMemorySpreadLastThreeQuarters"] = Math.Round(memorySpread, 4),
            ["orchestratorMiBLastThreeQuarters"] = lastThreeQuarters.Count == 0 ? null : new JsonObject { ["min"] = lastThreeQuarters.Min(), ["max"] = lastThreeQuarters.Max() },
            ["cpuMsPerSessionByTenth"] = new JsonArray([.. tenths.Select(t => (JsonNode)Math.Round(t, 2))]),
            ["cpuChangeFirstToLastTenth"] = Math.Round(cpuChange, 4),
            ["relayLagMaxSeconds"] = double.IsInfinity(maxLag) ? null : maxLag,
            ["sessionsHeld"] = step.Held,
            ["memoryMet"] = memoryMet,
            ["cpuMet"] = cpuMet,
            ["relayMet"] = lagMet,
            ["coldStartMet"] = coldMet,
            ["met"] = memoryMet && cpuMet && lagMet && coldMet && step.Held,
        };
    }

    // CPU of every part but the load generator between the samples nearest two counts of sessions done, per session done.
    private static double CpuPerSession(List<Sample> run, int fromSessions, int toSessions)
    {
        if (run.Count < 2)
            return 0;
        var first = run.MinBy(s => Math.Abs(s.Sessions - fromSessions))!;
        var last = run.MinBy(s => Math.Abs(s.Sessions - toSessions))!;
        var seconds = last.Cpu.Where(p => p.Key != "load generator").Sum(p => p.Value - first.Cpu.GetValueOrDefault(p.Key));
        var sessions = last.Sessions - first.Sessions;
        return sessions <= 0 ? 0 : seconds * 1000 / sessions;
    }

    [GeneratedRegex(@"^chargelink_orchestrator_relay_lag_seconds (\S+)$", RegexOptions.Multiline)]
    private static partial Regex RelayLag();
}
