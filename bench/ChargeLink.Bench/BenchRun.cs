using System.Text.Json;
using System.Text.Json.Nodes;
using ChargeLink.Bench.Replay;
using RabbitMQ.Client;

namespace ChargeLink.Bench;

/// <summary>
/// One `make bench`: the services up, the five scenarios in turn, the results written. The run's schema and the replay's
/// seeded logs are dropped at the end (a day of runs left some sixty behind, 2.4 GB and 4,900 relations in one
/// database) unless <paramref name="keep"/> (`--keep`), to look at them with `chargelink audit ... --schema`.
/// </summary>
public sealed class BenchRun(BenchPlan plan, string root, bool keep = false)
{
    private const string Secret = "bench-secret";

    public async Task<int> Run()
    {
        var stamp = DateTimeOffset.UtcNow;
        var id = stamp.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var rabbitMq = Cli.CliOptions.Env("CHARGELINK_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/");
        var postgres = Cli.CliOptions.Env("CHARGELINK_POSTGRES", "Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink;Password=chargelink");
        var schema = $"bench_{id.Replace('-', '_')}";
        var topology = new BenchTopology(plan);
        var topologyPath = Path.Combine(Path.GetTempPath(), $"chargelink-bench-topology-{id}.json");
        await topology.Write(topologyPath);

        var settings = Deployment.Settings(rabbitMq, postgres, schema, topologyPath, Secret);
        try
        {
            return await Run(id, stamp, rabbitMq, postgres, schema, topology, topologyPath, settings);
        }
        finally
        {
            File.Delete(topologyPath);
            if (!keep)
                await DropSchema(postgres, schema);
        }
    }

    private async Task<int> Run(
        string id,
        DateTimeOffset stamp,
        string rabbitMq,
        string postgres,
        string schema,
        BenchTopology topology,
        string topologyPath,
        Dictionary<string, string> settings)
    {
        var results = new JsonObject
        {
            ["runAt"] = stamp.ToString("O"),
            ["mode"] = plan.Mode,
            ["machine"] = Machine.Describe(),
        };
        await using (var deployment = new Deployment(root, settings))
        {
            Progress.Line($"{plan.Mode} run {id}: starting the gateway (schema {schema})");
            // The orchestrator starts after the baseline: the gateway alone answers and publishes those frames.
            await deployment.Start(Deployment.Gateway);
            if (plan.Mode == BenchPlan.ConnectionsOnly.Mode)
            {
                var connections = await new ConnectionsScenario(plan, topology, deployment).Run();
                Progress.Line($"connections: {connections.ToJsonString()}");
                // No orchestrator ran: what the stations' boots published must not wait for the next one that does.
                await PurgeOrchestratorQueue(rabbitMq);
                return 0;
            }
            if (plan.Mode == BenchPlan.BaselineOnly.Mode)
            {
                Progress.Line($"baseline only: the gateway is process {deployment.ProcessId(Deployment.Gateway)}");
                var baseline = await new BaselineScenario(plan, topology, root, deployment.ProcessId(Deployment.Gateway)).Run();
                Progress.Line($"baseline: {baseline.ToJsonString()}");
                await PurgeOrchestratorQueue(rabbitMq);
                return 0;
            }
            await deployment.Start(Deployment.PaymentAdapter);
            if (plan.BaselineRuns > 0)
                results["baseline"] = await new BaselineScenario(plan, topology, root, deployment.ProcessId(Deployment.Gateway)).Run();
            await PurgeOrchestratorQueue(rabbitMq);
            await deployment.Start(Deployment.Orchestrator);

            var cpu = new CpuUse(deployment);
            var sessions = new SessionsScenario(plan, topology, rabbitMq, Secret, postgres, schema, cpu);
            var cpuBefore = cpu.Snapshot();
            // Rising load until a step is not held; scenario 1's rate is measured on its own if the steps stopped short of it.
            var steps = await sessions.Run(plan.SustainedRates);
            results["cpuDuringSessions"] = CpuUse.Between(cpuBefore, cpu.Snapshot(), steps.Sum(s => s.Sessions));
            results["idleCores"] = JsonSerializer.SerializeToNode(sessions.IdleCores);
            if (plan.Mode == BenchPlan.Cpu.Mode)
            {
                var parts = results["cpuDuringSessions"]!.AsObject().Select(p => (Part: p.Key, Ms: p.Value!["cpuMsPerSession"]!.GetValue<double>())).ToList();
                Progress.Line($"CPU ms per session (warm-up included): {string.Join(", ", parts.Select(p => $"{p.Part} {p.Ms}"))}; "
                    + $"all but the load generator {Math.Round(parts.Where(p => p.Part != "load generator").Sum(p => p.Ms), 1)}; step: {JsonSerializer.Serialize(steps[0])}");
                Progress.Line(CpuUse.StepLine(steps[0], sessions.IdleCores!));
                File.Delete(topologyPath);
                return 0;
            }
            var latency = steps.Find(s => s.OfferedPerSecond == plan.LatencyRate);
            if (latency is null)
            {
                await Backlog.Drain(rabbitMq);
                latency = (await sessions.Run([plan.LatencyRate]))[0];
            }
            results["tapToStart"] = JsonSerializer.SerializeToNode(latency);
            await Backlog.Drain(rabbitMq);
            results["sustained"] = new JsonObject
            {
                ["stepSeconds"] = plan.StepLength.TotalSeconds,
                ["steps"] = JsonSerializer.SerializeToNode(steps),
                ["highestHeldPerSecond"] = steps.Where(s => s.Held).Select(s => s.OfferedPerSecond).DefaultIfEmpty(0).Max(),
                ["target"] = ">= 250 sessions/s held, none lost, doubled or failed",
            };

            results["connections"] = await new ConnectionsScenario(plan, topology, deployment).Run();
        }
        results["replay"] = await new ReplayScenario(plan, root, postgres, schema).Run();
        // The logs it seeded too (the full bench's two are about 600 MB), unless they are to be looked at.
        if (!keep)
        {
            foreach (var events in plan.ReplayEvents)
                await DropSchema(postgres, ReplayScenario.SchemaOf(events));
        }

        var written = await Report.Write(Path.Combine(root, "bench", "results"), id, results);
        Progress.Line($"results: {string.Join(", ", written)}");
        return 0;
    }

    // After the services have stopped (the deployment is disposed first), so no connection of theirs holds a lock.
    private static async Task DropSchema(string postgres, string schema)
    {
        await using var connection = new Npgsql.NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"drop schema if exists \"{schema}\" cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }

    // Status messages published while no orchestrator ran belong to no session of the benchmark.
    private static async Task PurgeOrchestratorQueue(string rabbitMq)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(Cli.BrokerUrls.ChargeLinkVhost(rabbitMq)) }.CreateConnectionAsync();
        for (var partition = 0; partition < ChargeLink.Contracts.GroupPartitions.Count; partition++)
        {
            // A failed purge closes its channel: one channel per queue.
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                await channel.QueuePurgeAsync(ChargeLink.Contracts.GroupPartitions.QueueName(partition));
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // Not declared yet on a fresh broker: nothing to purge.
            }
        }
    }
}
