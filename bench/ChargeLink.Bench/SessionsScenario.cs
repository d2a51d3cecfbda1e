using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.EventLog;
using ChargeLink.Simulators;
using HdrHistogram;
using Npgsql;

namespace ChargeLink.Bench;

/// <summary>One step of offered load: its latency percentiles (ms) and whether every session ended exactly once.</summary>
public sealed record StepResult(int OfferedPerSecond, double AchievedPerSecond, int Sessions, double P50, double P95, double P99, double Max,
    int Failed, int Lost, int Doubled, int NotIssued, int CapturedInStore)
{
    /// <summary>CPU ms per session of each part within this step only (from its first session to its last capture), when
    /// the scenario was given the deployment's CPU to watch.</summary>
    public Dictionary<string, double>? CpuMsPerSession { get; init; }

    /// <summary>How long that CPU was watched: the step's length and the wait for its last capture.</summary>
    public double? CpuWindowSeconds { get; init; }

    public bool Held => Failed == 0 && Lost == 0 && Doubled == 0 && NotIssued == 0 && CapturedInStore == Sessions && P99 <= 1000;
}

/// <summary>
/// Scenarios 1 and 2: whole sessions — plug in, pay (a signed authorization published to
/// payment-cloud.authorizations), RemoteStartTransaction, accept, StartTransaction, MeterValues, StopTransaction,
/// unplug — offered open-loop at a fixed rate per step. Tap-to-start latency is from the publish of the
/// authorization to the RemoteStartTransaction arriving on the station's socket (connector already occupied).
/// After each step every payment must have exactly one capture on payment-cloud.instructions and be Captured in
/// the event store's payment records.
/// </summary>
public sealed class SessionsScenario(BenchPlan plan, BenchTopology topology, string rabbitMq, string secret, string postgres, string schema,
    CpuUse? cpu = null)
{
    /// <summary>How long the system is watched at rest, stations connected and no session, for its idle CPU.</summary>
    public static readonly TimeSpan IdleWatch = TimeSpan.FromSeconds(10);

    /// <summary>Cores each part uses at rest (1,000 stations connected, no session), measured after the warm-up; null
    /// when the scenario was given no CPU to watch.</summary>
    public Dictionary<string, double>? IdleCores { get; private set; }

    private readonly ConcurrentQueue<int> _free = new();
    private StationSimulator[] _stations = [];
    private int _nextPayment;
    private int _strayStarts;
    private int _completed;

    /// <summary>Sessions that ended (StopTransaction answered and the connector Available again) since this scenario began.</summary>
    public int Completed => Volatile.Read(ref _completed);

    // The deployment's idTag key, read as the services' role: the bench tells a stray start from the expected one by its tag.
    private byte[]? _idTagKey;

    public async Task<List<StepResult>> Run(IReadOnlyList<int> rates)
    {
        Progress.Line($"sessions: connecting {topology.SessionStations} stations");
        _stations = await Task.WhenAll(Enumerable.Range(0, topology.SessionStations).Select(i => StationSimulator.Connect(Deployment.UrlOf(Deployment.Gateway), topology.SessionStation(i))));
        // Run is called once per scenario (sustained steps, then the latency step): the stations of a previous run are
        // gone, and a station listed twice would carry two sessions at once.
        _free.Clear();
        for (var i = 0; i < _stations.Length; i++)
            _free.Enqueue(i);
        // The payment cloud's side logs in as the payment cloud does.
        await using var cloud = new PaymentCloudSimulator(Cli.BrokerUrls.PaymentCloud(rabbitMq), secret);
        await using var instructions = await InstructionCounter.Start(Cli.BrokerUrls.PaymentCloud(rabbitMq), secret);
        // Warm-up, not measured: a service's first minute (JIT, connection pools) is not its steady state.
        Progress.Line("sessions: warm-up, 5/s for 20 s (not measured)");
        await Step(5, cloud, instructions, TimeSpan.FromSeconds(20));
        if (cpu is not null)
        {
            // What the system costs doing nothing (heartbeats, timers, pollers): a share of every step's CPU that does not
            // depend on the number of sessions.
            var atRest = cpu.Snapshot();
            await Task.Delay(IdleWatch);
            IdleCores = cpu.Snapshot().ToDictionary(p => p.Key, p => Math.Round((p.Value - atRest[p.Key]) / IdleWatch.TotalSeconds, 3));
            Progress.Line($"sessions: at rest, cores used: {string.Join(", ", IdleCores.Select(p => $"{p.Key} {p.Value}"))}");
        }
        var results = new List<StepResult>();
        try
        {
            foreach (var rate in rates)
            {
                Progress.Line($"sessions: {rate}/s for {plan.StepLength.TotalSeconds:0} s");
                var step = await Step(rate, cloud, instructions, plan.StepLength);
                results.Add(step);
                Progress.Line($"sessions: {rate}/s -> p50 {step.P50:0.0} ms, p99 {step.P99:0.0} ms, {step.Sessions} sessions, lost {step.Lost}, doubled {step.Doubled}, failed {step.Failed}, not issued {step.NotIssued}");
                if (!step.Held)
                    break;
            }
        }
        finally
        {
            foreach (var station in _stations)
                await station.DisposeAsync();
        }
        return results;
    }

    private async Task<StepResult> Step(int rate, PaymentCloudSimulator cloud, InstructionCounter instructions, TimeSpan length)
    {
        var histogram = new LongHistogram(TimeSpan.TicksPerMinute, 3);
        var sessions = new List<Task<bool>>();
        var payments = new List<string>();
        var notIssued = 0;
        var prefix = $"bench_{rate}_{Guid.NewGuid():N}"[..20];
        var total = (int)(rate * length.TotalSeconds);
        var cpuBefore = cpu?.Snapshot();
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < total; n++)
        {
            // Read the clock once: read twice, a busy machine can pass the due time in between, and a negative delay
            // throws (the soak of 2026-12-06 died of it).
            var wait = TimeSpan.FromSeconds((double)n / rate) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            if (!_free.TryDequeue(out var station))
            {
                notIssued++;
                continue;
            }
            var paymentId = $"{prefix}_{Interlocked.Increment(ref _nextPayment)}";
            payments.Add(paymentId);
            sessions.Add(Session(station, paymentId, cloud, histogram));
        }
        var finished = await Task.WhenAll(sessions);
        var achieved = sessions.Count / clock.Elapsed.TotalSeconds;

        // Every payment of the step: exactly one capture instruction, and Captured in the event store.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && payments.Any(p => !instructions.Captures.ContainsKey(p)))
            await Task.Delay(200);
        double? cpuWindow = cpuBefore is null ? null : Math.Round(clock.Elapsed.TotalSeconds, 1);
        var cpuWithin = cpuBefore is null ? null : cpu!.Snapshot().ToDictionary(p => p.Key, p => sessions.Count == 0
            ? 0 : Math.Round((p.Value - cpuBefore[p.Key]) * 1000 / sessions.Count, 2));
        await Task.Delay(TimeSpan.FromSeconds(4)); // the relay's copies, if any were to reach the cloud twice
        var lost = payments.Count(p => !instructions.Captures.ContainsKey(p));
        var doubled = payments.Count(p => instructions.Captures.GetValueOrDefault(p) > 1 || instructions.Voids.ContainsKey(p));
        doubled += Interlocked.Exchange(ref _strayStarts, 0);
        var captured = await CapturedInStore(prefix);
        lock (histogram)
        {
            return new StepResult(rate, Math.Round(achieved, 1), sessions.Count,
                Ms(histogram.GetValueAtPercentile(50)), Ms(histogram.GetValueAtPercentile(95)), Ms(histogram.GetValueAtPercentile(99)), Ms(histogram.GetMaxValue()),
                finished.Count(ok => !ok), lost, doubled, notIssued, captured)
            { CpuMsPerSession = cpuWithin, CpuWindowSeconds = cpuWindow };
        }
    }

    private static double Ms(long ticks) => Math.Round(ticks / (double)TimeSpan.TicksPerMillisecond, 2);

    private async Task<bool> Session(int index, string paymentId, PaymentCloudSimulator cloud, LongHistogram histogram)
    {
        var station = _stations[index];
        try
        {
            await station.Call("StatusNotification", new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = "Preparing" });
            var published = Stopwatch.GetTimestamp();
            await cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, topology.SessionTerminal(index)));
            var idTag = IdTag.ForPayment(paymentId, _idTagKey ??= IdTagKeyTable.LoadOrCreate(postgres, schema));
            var start = await station.NextCallFromGateway(TimeSpan.FromSeconds(30));
            while (start[3]?["idTag"]?.GetValue<string>() != idTag)
            {
                // A start for an earlier payment, arriving again: a double start. Refused, and counted.
                Interlocked.Increment(ref _strayStarts);
                await station.Answer(start, new JsonObject { ["status"] = "Rejected" });
                start = await station.NextCallFromGateway(TimeSpan.FromSeconds(30));
            }
            var latency = Stopwatch.GetElapsedTime(published);
            lock (histogram)
                histogram.RecordValue(latency.Ticks);
            await station.Answer(start, new JsonObject { ["status"] = "Accepted" });
            var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            var started = await station.Call("StartTransaction", new JsonObject { ["connectorId"] = 1, ["idTag"] = idTag, ["meterStart"] = 0, ["timestamp"] = now });
            var transactionId = started[2]!["transactionId"]!.GetValue<int>();
            await station.Call("MeterValues", new JsonObject
            {
                ["connectorId"] = 1,
                ["transactionId"] = transactionId,
                ["meterValue"] = new JsonArray(new JsonObject { ["timestamp"] = now, ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = "6000" }) }),
            });
            await station.Call("StopTransaction", new JsonObject { ["transactionId"] = transactionId, ["meterStop"] = 12_000, ["timestamp"] = now });
            await station.Call("StatusNotification", new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = "Available" });
            Interlocked.Increment(ref _completed);
            return true;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or System.Net.WebSockets.WebSocketException)
        {
            Progress.Line($"  session {paymentId} on {topology.SessionStation(index)} failed: {e.Message}");
            return false;
        }
        finally
        {
            _free.Enqueue(index);
        }
    }

    private async Task<int> CapturedInStore(string prefix)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from \"{schema}\".{StoredNames.PaymentRecords} where id like $1 and data ->> 'Status' = 'Captured'", connection)
        {
            Parameters = { new NpgsqlParameter { Value = prefix + "_%" } },
        };
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }
}
