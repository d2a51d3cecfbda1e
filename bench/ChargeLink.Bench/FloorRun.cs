using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ChargeLink.Bench;

/// <summary>
/// `make bench-floor`: what the two things a session is made of cost on this machine with none of ChargeLink's code
/// around them. A broker hop: a persistent message of about a MassTransit envelope's size published with a confirm
/// awaited and consumed with an ack, by RabbitMQ.Client alone, at the rate a session step asks for (eleven per
/// session). A database commit: one row inserted in a transaction of its own (autocommit), at eight per session. Each
/// part's CPU (/proc, as <see cref="CpuUse"/> counts it) per hop and per commit, and both as a session's floor: what
/// the bar of CPU per session is up against before a line of ChargeLink runs; and the hop again through MassTransit
/// (<see cref="FloorMassTransitHop"/>), for what its pipelines add.
/// </summary>
public sealed class FloorRun(string root)
{
    // A session crosses the broker eleven times and commits about eight times (README, Performance).
    public const int HopsPerSession = 11;
    public const int CommitsPerSession = 8;
    private const int SessionsPerSecond = 50;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    // Of the order of a MassTransit envelope of a station fact (the fact, its addresses, the host block).
    private const int BodyBytes = 700;

    public async Task<int> Run()
    {
        var id = "floor-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var rabbitMq = Cli.CliOptions.Env("CHARGELINK_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/");
        var postgres = EventLog.LoopbackTls.Off(
            Cli.CliOptions.Env(
                "CHARGELINK_POSTGRES",
                "Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink;Password=chargelink"
            )
        );
        Progress.Line($"floor: {SessionsPerSecond * HopsPerSession} broker hops/s for {Window.TotalSeconds} s");
        var vhost = Cli.BrokerUrls.ChargeLinkVhost(rabbitMq);
        var hop = await BrokerHops(vhost, SessionsPerSecond * HopsPerSession);
        Progress.Line("floor: the same through MassTransit");
        var massTransitHop = await MassTransitHops(vhost, SessionsPerSecond * HopsPerSession);
        Progress.Line($"floor: {SessionsPerSecond * CommitsPerSession} commits/s for {Window.TotalSeconds} s");
        var commit = await Commits(postgres, SessionsPerSecond * CommitsPerSession);
        var perSession = Floor(hop, commit);
        var perSessionMassTransit = Floor(massTransitHop, commit);
        var results = new JsonObject
        {
            ["runAt"] = DateTimeOffset.UtcNow.ToString("O"),
            ["machine"] = Machine.Describe(),
            ["brokerHop"] = hop,
            ["massTransitHop"] = massTransitHop,
            ["commit"] = commit,
            ["floorCpuMsPerSession"] = perSession,
            ["floorWithMassTransitCpuMsPerSession"] = perSessionMassTransit,
            ["assumed"] = $"{HopsPerSession} hops and {CommitsPerSession} commits per session",
        };
        var directory = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, $"{id}.json");
        await File.WriteAllTextAsync(json, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Progress.Line($"floor: a broker hop through MassTransit {massTransitHop["cpuMsPerHop"]!.ToJsonString()} ms");
        Progress.Line($"floor: a broker hop {hop["cpuMsPerHop"]!.ToJsonString()} ms of CPU; "
            + $"a commit {commit["cpuMsPerCommit"]!.ToJsonString()} ms");
        Progress.Line($"floor: {HopsPerSession} hops + {CommitsPerSession} commits = {perSession} ms of CPU per "
            + $"session before any of ChargeLink's work ({perSessionMassTransit} ms with MassTransit's hops)");
        Progress.Line($"results: {json}");
        return 0;
    }

    private static double Floor(JsonObject hop, JsonObject commit) =>
        Math.Round(
            HopsPerSession * (double)hop["cpuMsPerHop"]!["all"]!
                + CommitsPerSession * (double)commit["cpuMsPerCommit"]!["all"]!,
            2
        );

    private static async Task<JsonObject> BrokerHops(string url, int perSecond)
    {
        var factory = new ConnectionFactory { Uri = new Uri(url) };
        await using var publishing = await factory.CreateConnectionAsync("bench-floor-publisher");
        await using var consuming = await factory.CreateConnectionAsync("bench-floor-consumer");
        await using var publisher = await publishing.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)
        );
        await using var consumer = await consuming.CreateChannelAsync();
        var queue = $"bench.floor.{Environment.ProcessId}";
        await consumer.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        try
        {
            await consumer.BasicQosAsync(0, 16, false);
            var received = 0;
            var handler = new AsyncEventingBasicConsumer(consumer);
            handler.ReceivedAsync += async (_, delivery) =>
            {
                await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                Interlocked.Increment(ref received);
            };
            await consumer.BasicConsumeAsync(queue, autoAck: false, handler);
            var body = new byte[BodyBytes];
            Array.Fill(body, (byte)'x');
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
            Func<int, ValueTask> hop = _ => publisher.BasicPublishAsync("", queue, true, properties, body);
            // Warmed up first (JIT, the connections' buffers), as the services are in a step.
            await Paced(perSecond, perSecond * 2, hop);
            await AllReceived(() => Volatile.Read(ref received), perSecond * 2);
            var total = (int)(perSecond * Window.TotalSeconds);
            var before = Cpu("rabbitmq");
            var took = await Paced(perSecond, total, hop);
            await AllReceived(() => Volatile.Read(ref received), perSecond * 2 + total);
            return PerUnit("cpuMsPerHop", before, Cpu("rabbitmq"), total, took);
        }
        finally
        {
            await consumer.QueueDeleteAsync(queue);
        }
    }

    private static async Task<JsonObject> MassTransitHops(string url, int perSecond)
    {
        var hops = new FloorMassTransitHop();
        return await hops.With(url, async bus =>
        {
            var fact = new FloorFact("floor", "CP-FLOOR", 1, "Charging", "NoError", DateTimeOffset.UtcNow);
            Func<int, ValueTask> hop = _ => new ValueTask(bus.Publish(fact));
            await Paced(perSecond, perSecond * 2, hop);
            await AllReceived(() => hops.Received, perSecond * 2);
            var total = (int)(perSecond * Window.TotalSeconds);
            var before = Cpu("rabbitmq");
            var took = await Paced(perSecond, total, hop);
            await AllReceived(() => hops.Received, perSecond * 2 + total);
            return PerUnit("cpuMsPerHop", before, Cpu("rabbitmq"), total, took);
        });
    }

    private static async Task<JsonObject> Commits(string postgres, int perSecond)
    {
        // A service's pool is about this size; unbounded, a stall of the server would open a connection per commit.
        await using var database = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(postgres) { MaxPoolSize = 8 }.ConnectionString
        );
        var table = $"bench_floor_{Environment.ProcessId}";
        await using (var create = database.CreateCommand($"create table {table} (id bigint primary key, data jsonb)"))
            await create.ExecuteNonQueryAsync();
        try
        {
            var data = JsonSerializer.Serialize(new { text = new string('x', 300) });
            var next = 0L;
            Func<int, ValueTask> commit = async _ =>
            {
                await using var insert = database.CreateCommand($"insert into {table} values ($1, $2::jsonb)");
                insert.Parameters.Add(new NpgsqlParameter { Value = Interlocked.Increment(ref next) });
                insert.Parameters.Add(new NpgsqlParameter { Value = data });
                await insert.ExecuteNonQueryAsync();
            };
            await Paced(perSecond, perSecond * 2, commit);
            var total = (int)(perSecond * Window.TotalSeconds);
            var before = Cpu("postgresql");
            var took = await Paced(perSecond, total, commit);
            return PerUnit("cpuMsPerCommit", before, Cpu("postgresql"), total, took);
        }
        finally
        {
            await using var drop = database.CreateCommand($"drop table {table}");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task AllReceived(Func<int> received, int expected)
    {
        var deadline = Stopwatch.StartNew();
        while (received() < expected)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"{received()} of {expected} messages came back");
            await Task.Delay(10);
        }
    }

    // Starts the operations due every 10 ms (perSecond in all, several in flight, as the services' stations have them):
    // a timer per operation would put a wake-up of the pacing's own into every one.
    private static async Task<TimeSpan> Paced(int perSecond, int total, Func<int, ValueTask> operation)
    {
        var clock = Stopwatch.StartNew();
        var running = new List<Task>(total);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (running.Count < total)
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * perSecond) + 1);
            while (running.Count < due)
                running.Add(operation(running.Count).AsTask());
            if (running.Count < total)
                await tick.WaitForNextTickAsync();
        }
        await Task.WhenAll(running);
        return clock.Elapsed;
    }

    // This process (publisher and consumer, or the database's client) and the server it talks to.
    private static Dictionary<string, double> Cpu(string server) =>
        new() { ["client"] = CpuUse.Seconds(Environment.ProcessId), [server] = CpuUse.Servers()[server] };

    private static JsonObject PerUnit(
        string name,
        Dictionary<string, double> before,
        Dictionary<string, double> after,
        int units,
        TimeSpan took
    )
    {
        var per = new JsonObject();
        foreach (var (part, seconds) in after)
            per[part] = Math.Round((seconds - before[part]) * 1000 / units, 4);
        per["all"] = Math.Round(after.Sum(p => p.Value - before[p.Key]) * 1000 / units, 4);
        return new JsonObject
        {
            ["count"] = units,
            ["seconds"] = Math.Round(took.TotalSeconds, 1),
            [name] = per,
        };
    }
}
