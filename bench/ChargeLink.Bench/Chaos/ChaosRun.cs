using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChargeLink.EventLog;
using ChargeLink.Simulators;
using Npgsql;

namespace ChargeLink.Bench;

/// <summary>
/// `make chaos`: the services as separate processes (two gateways, two orchestrators, a payment adapter), whole sessions
/// from stations that resend what they did not hear answered, SIGKILLs at random and aimed at the windows where a
/// transaction message or a command is in flight; then, after settling, every payment is checked against what its
/// station did, the event log is verified and replayed, and a million malformed frames are thrown at a gateway.
/// </summary>
public sealed class ChaosRun(ChaosPlan plan, string root)
{
    private const string Secret = "chaos-secret";

    public async Task<int> Run()
    {
        var clock = Stopwatch.StartNew();
        var stamp = DateTimeOffset.UtcNow;
        var id = stamp.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var runId = id.Replace("-", "", StringComparison.Ordinal)[4..];
        var broker = new Uri(Cli.CliOptions.Env("CHARGELINK_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/"));
        var postgres = Cli.CliOptions.Env("CHARGELINK_POSTGRES", "Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink;Password=chargelink");
        var schema = $"chaos_{id.Replace('-', '_')}";
        // Vhosts of the run's own: ChargeLink's and the payment cloud's, with the accounts infra/up.sh makes for the real ones.
        var vhost = $"chaos-{id}";
        var cloudVhost = $"chaos-{id}-cloud";
        var rabbitMq = new UriBuilder(broker) { Path = "/" + Uri.EscapeDataString(cloudVhost) }.Uri.ToString();
        var topology = new ChaosTopology(plan);
        var topologyPath = Path.Combine(Path.GetTempPath(), $"chargelink-chaos-topology-{id}.json");
        await topology.Write(topologyPath);
        await Run("bash", Path.Combine(root, "infra", "rabbitmq-accounts.sh"), vhost, cloudVhost);
        var settings = new Dictionary<string, string>(Deployment.Settings(rabbitMq, postgres, schema, topologyPath, Secret))
        {
            ["CHARGELINK_RABBITMQ_VHOST"] = vhost,
            // Shorter than the defaults so that what a kill leaves waiting resolves within the run.
            ["CHARGELINK_PAYMENT_WAIT_SECONDS"] = "45",
            ["CHARGELINK_REMOTE_START_TIMEOUT_SECONDS"] = "15",
            ["CHARGELINK_TRANSACTION_START_TIMEOUT_SECONDS"] = "30",
        };
        var results = new JsonObject { ["runAt"] = stamp.ToString("O"), ["mode"] = plan.Mode, ["machine"] = Machine.Describe(), ["plan"] = JsonSerializer.SerializeToNode(plan) };
        try
        {
            await using var deployment = new ChaosDeployment(root, settings);
            Progress.Line($"chaos {plan.Mode} {id}: starting 2 gateways, 2 orchestrators, 1 payment adapter (schema {schema}, vhost {vhost})");
            await deployment.StartAll();
            await using var cloud = new PaymentCloudSimulator(Cli.BrokerUrls.PaymentCloud(rabbitMq), Secret);
            await using var instructions = await InstructionCounter.Start(Cli.BrokerUrls.PaymentCloud(rabbitMq), Secret);
            var kills = new KillSwitch(deployment, plan);
            var random = new Random(7);
            // The deployment's idTag key, made now if no orchestrator has yet: the sessions tell each start by its tag.
            var idTagKey = IdTagKeyTable.LoadOrCreate(postgres, schema);
            var sessions = new ChaosSessions(plan, topology, cloud, instructions, kills, avoid => PickGateway(deployment, avoid, random), idTagKey);

            Progress.Line($"chaos: {plan.Sessions} sessions over {plan.Groups} groups, {plan.Kills} kills among them");
            var sessionClock = Stopwatch.StartNew();
            await sessions.Run(runId);
            var sessionSeconds = sessionClock.Elapsed.TotalSeconds;
            Progress.Line($"chaos: sessions done in {sessionSeconds:0} s; settling");
            await kills.Settle();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
            while (DateTime.UtcNow < deadline && sessions.Records.Keys.Any(p => !instructions.All.ContainsKey(p)))
                await Task.Delay(500);
            // Long enough for the relay's copies (3 s behind) to show up twice if they were to.
            await Task.Delay(TimeSpan.FromSeconds(8));

            var check = await ChaosCheck.Run(sessions, instructions, postgres, schema);
            var audit = await Audit(schema, topologyPath);
            results["sessions"] = check;
            results["sessionSeconds"] = Math.Round(sessionSeconds, 1);
            results["kills"] = new JsonObject
            {
                ["total"] = kills.Done,
                ["byInstance"] = new JsonObject(deployment.Instances.Select(i => KeyValuePair.Create(i.Name, (JsonNode?)i.Kills))),
                ["byWindow"] = new JsonObject(kills.ByWindow.Select(w => KeyValuePair.Create(w.Key, (JsonNode?)w.Value))),
            };
            results["stations"] = new JsonObject
            {
                ["resends"] = ChaosStation.Resends,
                ["reconnects"] = ChaosStation.Reconnects,
                ["answersMissedOnPurpose"] = ChaosStation.LostAnswers.Count,
                ["strayStartsRefused"] = ChaosStation.StrayStarts,
                ["remoteStopsReceived"] = ChaosStation.StopsReceived,
            };
            results["audit"] = audit;

            Progress.Line($"chaos: {plan.FuzzFrames:N0} malformed frames at gateway-a");
            var fuzz = await FuzzScenario.Run(deployment.Gateways.First().Url, topology.FuzzStationIds, topology.ServedStation, plan.FuzzFrames, seed: 11, Progress.Line);
            results["fuzz"] = JsonSerializer.SerializeToNode(fuzz);
            results["serviceErrors"] = new JsonObject
            {
                ["count"] = deployment.Instances.Sum(i => i.ErrorLines),
                ["first"] = new JsonArray([.. deployment.Errors.Take(10).Select(e => (JsonNode?)e)]),
            };
        }
        finally
        {
            File.Delete(topologyPath);
            await Run("rabbitmqctl", "delete_vhost", vhost);
            await Run("rabbitmqctl", "delete_vhost", cloudVhost);
            // CHARGELINK_CHAOS_KEEP=1 keeps the run's event log for a look with chargelink audit.
            if (Environment.GetEnvironmentVariable("CHARGELINK_CHAOS_KEEP") != "1")
                await DropSchema(postgres, schema);
        }
        results["elapsedSeconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);

        var c = results["sessions"]!;
        var line = $"{c["sessions"]} sessions, {results["kills"]!["total"]} kills: {c["lost"]} lost, {c["doubled"]} doubled, {c["wrong"]} wrong, {c["doubleStarts"]} double starts";
        results["summary"] = line;
        var clean = c["lost"]!.GetValue<int>() == 0 && c["doubled"]!.GetValue<int>() == 0 && c["wrong"]!.GetValue<int>() == 0
            && c["doubleStarts"]!.GetValue<int>() == 0 && results["audit"]!["verifyClean"]!.GetValue<bool>() && results["audit"]!["replayClean"]!.GetValue<bool>()
            && results["fuzz"]!["Clean"]!.GetValue<bool>();
        results["clean"] = clean;
        var directory = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, $"chaos-{id}.json");
        await File.WriteAllTextAsync(json, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        await File.WriteAllTextAsync(Path.Combine(directory, $"chaos-{id}.md"), ChaosReport.Summary(id, results));
        Progress.Line($"results: {json}");
        Console.WriteLine(line);
        return clean ? 0 : 1;
    }

    private static Uri PickGateway(ChaosDeployment deployment, string? avoid, Random random)
    {
        var up = deployment.Gateways.Where(g => g.Up).ToList();
        var preferred = up.Where(g => g.Url.ToString() != avoid).ToList();
        var from = preferred.Count > 0 ? preferred : up.Count > 0 ? up : [.. deployment.Gateways];
        lock (random)
            return from[random.Next(from.Count)].Url;
    }

    // The auditors' own tools, as processes, on the run's log: every hash link holds, every stored read model matches.
    private async Task<JsonObject> Audit(string schema, string topologyPath)
    {
        var verify = await Chargelink(schema, topologyPath, "audit", "verify");
        var replay = await Chargelink(schema, topologyPath, "audit", "replay");
        Progress.Line($"chaos: audit verify: {verify.Output}");
        Progress.Line($"chaos: audit replay: {replay.Output}");
        return new JsonObject
        {
            ["verifyClean"] = verify.ExitCode == 0,
            ["verify"] = verify.Output,
            ["replayClean"] = replay.ExitCode == 0,
            ["replay"] = replay.Output.Split('\n').LastOrDefault(),
        };
    }

    // As an auditor runs them: as the auditors' read-only role (CHARGELINK_AUDITOR_POSTGRES, else its default), which
    // infra/up.sh created; it reads the run's schema through the grants it gets on every schema the services create.
    // Output is what the command printed on stdout, or on stderr when it printed nothing there (it failed).
    private async Task<(int ExitCode, string Output)> Chargelink(string schema, string topologyPath, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(root, "src", "ChargeLink.Cli", "bin", "Release", "net10.0", "chargelink.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CHARGELINK_POSTGRES_SCHEMA"] = schema;
        start.Environment["CHARGELINK_TOPOLOGY"] = topologyPath;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var (said, complained) = ((await output).Trim(), (await errors).Trim());
        return (process.ExitCode, said.Length > 0 ? said : complained);
    }

    private static async Task DropSchema(string postgres, string schema)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists \"{schema}\" cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task Run(string tool, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = new StringBuilder();
        text.Append(await process.StandardOutput.ReadToEndAsync()).Append(await process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {text}");
    }
}
