using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChargeLink.Bench.Replay;
using ChargeLink.Domain.Topology;
using ChargeLink.Orchestrator.Delivering;
using ChargeLink.Orchestrator.Storing;
using ChargeLink.ServiceDefaults;
using Marten;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ChargeLink.Bench.Relay;

/// <summary>
/// `make bench-relay`: how many sessions a second the command relay passes, with the orchestrator's own relay, Marten
/// store and a MassTransit bus on a RabbitMQ vhost of the run's own, over a log seeded with whole sessions (7 events,
/// 2 of which call for a command). Two passes over the same log: after a crash (nobody here saw any command confirmed,
/// so every command is published again and confirmed by the broker) and in steady state (every command was confirmed at
/// its first publish, so the relay only reads). The bar: 10 × the highest rate the soak held.
/// </summary>
public sealed class RelayRun(string root, bool quick)
{
    /// <summary>The soak's held rate (sessions/s): the relay must keep up with ten times it.</summary>
    private const double HeldRate = 42;

    private const int EventsPerSession = 7;

    public async Task<int> Run()
    {
        var id = "relay-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var sessions = quick ? 10_000 : 100_000;
        var rabbitMq = Cli.CliOptions.Env("CHARGELINK_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/");
        var postgres = Cli.CliOptions.Env("CHARGELINK_POSTGRES", "Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink;Password=chargelink");
        var schema = id.Replace('-', '_');
        var vhost = id;
        // The broker's administrator on a vhost of the run's own: the relay's publishes need the exchanges the gateway and
        // the adapter would declare, and no gateway or adapter runs here.
        await Tool("rabbitmqctl", "add_vhost", vhost);
        await Tool("rabbitmqctl", "set_permissions", "-p", vhost, new Uri(rabbitMq).UserInfo.Split(':')[0], ".*", ".*", ".*");
        var results = new JsonObject
        {
            ["runAt"] = DateTimeOffset.UtcNow.ToString("O"),
            ["mode"] = quick ? "quick" : "full",
            ["machine"] = Machine.Describe(),
            ["sessions"] = sessions,
            ["events"] = sessions * EventsPerSession,
        };
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CHARGELINK_RABBITMQ"] = rabbitMq,
                ["CHARGELINK_RABBITMQ_VHOST"] = vhost,
                ["CHARGELINK_ORCHESTRATOR_BROKER_USER"] = Uri.UnescapeDataString(new Uri(rabbitMq).UserInfo.Split(':')[0]),
                ["CHARGELINK_ORCHESTRATOR_BROKER_PASSWORD"] = Uri.UnescapeDataString(new Uri(rabbitMq).UserInfo.Split(':')[1]),
                ["CHARGELINK_POSTGRES"] = postgres,
                ["CHARGELINK_POSTGRES_SCHEMA"] = schema,
            }).Build();
            var settings = ChargeLinkSettings.From(configuration, Orchestrator.Extensions.ServiceName);
            using var store = DocumentStore.For(options => ChargeLink.Orchestrator.OrchestratorStore.Configure(options, postgres, schema));
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            Progress.Line($"relay {id}: seeding {sessions:N0} sessions ({sessions * EventsPerSession:N0} events) in {schema}");
            var seeding = Stopwatch.StartNew();
            await new ReplaySeeder(postgres, schema).SeedInto(schema, sessions * EventsPerSession);
            results["seedSeconds"] = Math.Round(seeding.Elapsed.TotalSeconds, 1);

            var dispatched = new DispatchedCommands(TimeProvider.System);
            var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.UseChargeLinkBroker(settings));
            bus.ConnectSendObserver(dispatched);
            bus.ConnectPublishObserver(dispatched);
            await bus.StartAsync();
            try
            {
                var relay = new CommandRelay(store, bus, dispatched, Topology(), settings, TimeProvider.System, NullLogger<CommandRelay>.Instance);
                results["afterCrash"] = await Pass(store, relay, dispatched, sessions, "after a crash: every command published again");
                results["steadyState"] = await Pass(store, relay, dispatched, sessions, "steady state: every command confirmed before");
            }
            finally
            {
                await bus.StopAsync();
            }
            var slowest = Math.Min(Rate(results["afterCrash"]!), Rate(results["steadyState"]!));
            results["verdict"] = new JsonObject
            {
                ["barSessionsPerSecond"] = HeldRate * 10,
                ["slowestPassSessionsPerSecond"] = Math.Round(slowest),
                ["met"] = slowest >= HeldRate * 10,
            };
        }
        finally
        {
            await Tool("rabbitmqctl", "delete_vhost", vhost);
            await using var connection = new NpgsqlConnection(postgres);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop schema if exists {schema} cascade", connection);
            await drop.ExecuteNonQueryAsync();
        }
        var written = await Write(Path.Combine(root, "bench", "results"), id, results);
        Progress.Line($"results: {string.Join(", ", written)}");
        return results["verdict"]!["met"]!.GetValue<bool>() ? 0 : 1;
    }

    private static double Rate(JsonNode pass) => pass["sessionsPerSecond"]!.GetValue<double>();

    // One pass from the start of the log to its head: the checkpoint is put back to 0 first.
    private static async Task<JsonObject> Pass(IDocumentStore store, CommandRelay relay, DispatchedCommands dispatched, int sessions, string name)
    {
        await using (var session = store.LightweightSession())
        {
            session.Store(new RelayCheckpoint { Id = "command-relay", Sequence = 0 });
            await session.SaveChangesAsync();
        }
        var confirmedBefore = dispatched.Count;
        Progress.Line($"relay: {name} ({confirmedBefore:N0} confirmations remembered)");
        var clock = Stopwatch.StartNew();
        var published = await relay.RelayOnce(CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        Progress.Line($"relay: {sessions:N0} sessions passed in {seconds:F1} s, {published:N0} command(s) published");
        return new JsonObject
        {
            ["name"] = name,
            ["confirmationsRememberedBefore"] = confirmedBefore,
            ["commandsPublished"] = published,
            ["confirmationsRememberedAfter"] = dispatched.Count,
            ["seconds"] = Math.Round(seconds, 2),
            ["sessionsPerSecond"] = Math.Round(sessions / seconds),
            ["eventsPerSecond"] = Math.Round(sessions * EventsPerSession / seconds),
        };
    }

    // The seeder's groups: the relay names a command's group by its stream.
    private static SiteTopology Topology() => TopologyFile.Parse(JsonSerializer.Serialize(new
    {
        stationGroups = ReplaySeeder.GroupIds.Select(g => new
        {
            id = g,
            name = g,
            tariff = new { pricePerKwhMinor = 45, currency = "EUR" },
            terminals = new[] { $"TERM-{g}" },
            stations = new[] { new { chargePointId = $"CP-{g}", connectors = new[] { 1 }, securityProfile = 0 } },
        }),
    }));

    private static async Task<string[]> Write(string directory, string id, JsonObject results)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, $"{id}.json");
        var markdown = Path.Combine(directory, $"{id}.md");
        await File.WriteAllTextAsync(json, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var m = results["machine"]!;
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Command relay {id} ({results["mode"]})")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{results["sessions"]!.GetValue<int>():N0} seeded sessions, {results["events"]!.GetValue<int>():N0} events, 100 groups. Machine: {m["cores"]} cores ({m["cpu"]}), {m["memoryGiB"]} GiB, {m["os"]}, {m["dotnet"]}; RabbitMQ and PostgreSQL on it too.")
            .AppendLine()
            .AppendLine("| pass | commands published | seconds | sessions/s | events/s | confirmations remembered after |")
            .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var pass in new[] { results["afterCrash"]!, results["steadyState"]! })
            text.AppendLine(CultureInfo.InvariantCulture, $"| {pass["name"]} | {pass["commandsPublished"]:N0} | {pass["seconds"]} | {pass["sessionsPerSecond"]} | {pass["eventsPerSecond"]} | {pass["confirmationsRememberedAfter"]} |");
        var verdict = results["verdict"]!;
        text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Bar: >= {verdict["barSessionsPerSecond"]} sessions/s (10 × the soak's held rate); slowest pass {verdict["slowestPassSessionsPerSecond"]}: {(verdict["met"]!.GetValue<bool>() ? "met" : "NOT met")}.");
        await File.WriteAllTextAsync(markdown, text.ToString());
        return [json, markdown];
    }

    private static async Task Tool(string tool, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output}");
    }
}
