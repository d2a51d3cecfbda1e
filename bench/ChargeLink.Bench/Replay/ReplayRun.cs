using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Npgsql;

namespace ChargeLink.Bench.Replay;

/// <summary>
/// `make bench-replay`: scenario 4 alone (the full bench's replay of 250,000 and 1,000,000 events, three runs each; with
/// --quick 20,000 and 100,000, one run), to work on the replay without running the services. The tables are the
/// orchestrator's own layout, made by its Marten store in a template schema; every schema it made is dropped at the end
/// unless --keep is given (then `chargelink audit replay --schema bench_replay_N` can be run on them again).
/// </summary>
public sealed class ReplayRun(string root, bool quick, bool keep)
{
    public async Task<int> Run()
    {
        var id = "replay-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var postgres = Cli.CliOptions.Env("CHARGELINK_POSTGRES", "Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink;Password=chargelink");
        var plan = quick ? BenchPlan.Quick : BenchPlan.Full;
        const string template = "bench_replay_template";
        using (var store = DocumentStore.For(options => ChargeLink.Orchestrator.OrchestratorStore.Configure(options, postgres, template)))
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var results = new JsonObject
        {
            ["runAt"] = DateTimeOffset.UtcNow.ToString("O"),
            ["mode"] = plan.Mode,
            ["machine"] = Machine.Describe(),
        };
        try
        {
            results["replay"] = await new ReplayScenario(plan, root, postgres, template).Run();
        }
        finally
        {
            await Drop(postgres, keep ? [template] : [template, .. plan.ReplayEvents.Select(ReplayScenario.SchemaOf)]);
        }
        var directory = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, $"{id}.json");
        await File.WriteAllTextAsync(json, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        foreach (var run in results["replay"]!.AsArray())
            Progress.Line($"replay of {run!["events"]!.GetValue<int>():N0} events: {run["replayEventsPerSecond"]:N0} events/s (runs {run["replayRuns"]!.ToJsonString()}), "
                + $"peak {run["replayPeakResidentMiB"]} MiB, {(run["replayFoundNoDifference"]!.GetValue<bool>() ? "no difference" : "DIFFERENCES FOUND")}; verify {run["verifySeconds"]} s");
        Progress.Line($"results: {json}");
        return results["replay"]!.AsArray().All(r => r!["replayFoundNoDifference"]!.GetValue<bool>()) ? 0 : 1;
    }

    private static async Task Drop(string postgres, IEnumerable<string> schemas)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        foreach (var schema in schemas)
        {
            await using var drop = new NpgsqlCommand($"drop schema if exists {schema} cascade", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
