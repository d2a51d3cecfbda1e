using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.Simulators;

namespace ChargeLink.Bench;

/// <summary>What one session did, as its station saw it: whether it started, on which transaction, and the energy it delivered.</summary>
public sealed record SessionRecord(string PaymentId, string GroupId, string ChargePointId)
{
    public bool Started { get; set; }
    public int? TransactionId { get; set; }
    public long? EnergyWh { get; set; }
    public string? Failure { get; set; }
    public TimeSpan Took { get; set; }
}

/// <summary>
/// The sessions of a chaos run: each group plugs in one of its two stations, pays at its terminal, and — when the
/// station is asked to start — charges a random amount of energy (none, now and then; more than the hold, now and
/// then), stops and unplugs; while the kill switch kills services under it.
/// </summary>
public sealed class ChaosSessions(ChaosPlan plan, ChaosTopology topology, PaymentCloudSimulator cloud, InstructionCounter instructions, KillSwitch kills, Func<string?, Uri> pickGateway, byte[] idTagKey)
{
    public const long HeldMinor = 5000;
    public static readonly TimeSpan StartWait = TimeSpan.FromSeconds(100);

    public ConcurrentDictionary<string, SessionRecord> Records { get; } = new(StringComparer.Ordinal);
    public int TransactionIdMismatches;
    public int DoubleStarts;
    private readonly ConcurrentDictionary<string, byte> _accepted = new(StringComparer.Ordinal);
    private readonly List<ChaosStation> _stations = [];
    private int _completed;

    public async Task Run(string runId)
    {
        var runners = Enumerable.Range(0, plan.Groups).Select(g => Task.Run(() => Group(g, runId))).ToList();
        using var ticking = new CancellationTokenSource();
        var ticker = Task.Run(async () =>
        {
            while (!ticking.IsCancellationRequested)
            {
                kills.Tick();
                await Task.Delay(1000, CancellationToken.None);
            }
        });
        await Task.WhenAll(runners);
        await ticking.CancelAsync();
        await ticker;
        foreach (var station in _stations)
            await station.Close();
    }

    private async Task Group(int group, string runId)
    {
        var stations = topology.Stations(group).Select(id => new ChaosStation(id, pickGateway, kills)).ToArray();
        lock (_stations)
            _stations.AddRange(stations);
        var random = new Random(group);
        for (var n = 0; n < plan.SessionsPerGroup && Interlocked.Increment(ref _completed) <= plan.Sessions; n++)
        {
            var record = new SessionRecord($"chaos_{runId}_{group}_{n}", topology.Group(group), stations[n % 2].ChargePointId);
            Records[record.PaymentId] = record;
            var began = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await Session(stations[n % 2], record, topology.Terminal(group), random);
                record.Took = System.Diagnostics.Stopwatch.GetElapsedTime(began);
            }
            catch (Exception e)
            {
                record.Failure = $"{e.GetType().Name}: {e.Message}";
                Progress.Line($"  session {record.PaymentId} failed in the generator: {record.Failure}");
            }
            kills.SessionCompleted();
        }
    }

    private async Task Session(ChaosStation station, SessionRecord record, string terminal, Random random)
    {
        await station.Report("Preparing");
        var idTag = IdTag.ForPayment(record.PaymentId, idTagKey);
        var start = station.ExpectStart(idTag);
        await cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(record.PaymentId, terminal, HeldMinor));
        kills.PaymentPublished();
        if (!await StartOrOutcome(start, record.PaymentId))
        {
            station.StopExpecting(idTag);
            await station.Report("Available");
            return;
        }
        var startCall = await start;
        if (!_accepted.TryAdd(idTag, 0))
            Interlocked.Increment(ref DoubleStarts);
        record.Started = true;
        await station.Accept(startCall);

        var meterStart = station.MeterWh;
        var payload = new JsonObject { ["connectorId"] = 1, ["idTag"] = idTag, ["meterStart"] = meterStart, ["timestamp"] = ChaosStation.Now() };
        var started = await station.Call("StartTransaction", payload);
        var transactionId = started[2]!["transactionId"]!.GetValue<int>();
        record.TransactionId = transactionId;
        // Each answer the station missed before this one must have named the same transaction.
        foreach (var lost in ChaosStation.LostAnswers.Where(l => ReferenceEquals(l.Payload, payload)))
        {
            if (lost.FirstAnswer[2]?["transactionId"]?.GetValue<int>() != transactionId)
                Interlocked.Increment(ref TransactionIdMismatches);
        }
        await station.Report("Charging");
        var accepted = started[2]!["idTagInfo"]?["status"]?.GetValue<string>() == "Accepted";
        var energy = !accepted ? 0 : random.Next(20) switch
        {
            0 => 0,
            1 => 150_000,
            _ => random.Next(1, 30_000),
        };
        if (energy > 0)
        {
            await station.Call("MeterValues", new JsonObject
            {
                ["connectorId"] = 1,
                ["transactionId"] = transactionId,
                ["meterValue"] = new JsonArray(new JsonObject { ["timestamp"] = ChaosStation.Now(), ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = (meterStart + energy / 2).ToString(System.Globalization.CultureInfo.InvariantCulture) }) }),
            });
        }
        await station.Call("StopTransaction", new JsonObject
        {
            ["transactionId"] = transactionId,
            ["meterStop"] = meterStart + energy,
            ["timestamp"] = ChaosStation.Now(),
            ["reason"] = accepted ? "Local" : "DeAuthorized",
        });
        record.EnergyWh = energy;
        station.MeterWh += energy;
        kills.SessionStopped();
        await station.Report("Finishing");
        await station.Report("Available");
    }

    // True when the station is asked to start; false when the payment was settled (voided) first or nothing came in time.
    private async Task<bool> StartOrOutcome(Task start, string paymentId)
    {
        var deadline = DateTime.UtcNow + StartWait;
        while (DateTime.UtcNow < deadline)
        {
            if (start.IsCompleted)
                return true;
            if (instructions.All.ContainsKey(paymentId))
                return start.IsCompleted;
            await Task.WhenAny(start, Task.Delay(250));
        }
        return start.IsCompleted;
    }

    /// <summary>The capture (or void) a payment must end in, given what its station did.</summary>
    public static string? Expected(SessionRecord record)
    {
        if (!record.Started)
            return null; // a void, for whichever reason
        if (record.EnergyWh is not { } energy)
            return "unfinished";
        if (energy == 0)
            return $"void {VoidReason.NoEnergyDelivered}";
        var amount = Math.Min((energy * 45 + 500) / 1000, HeldMinor);
        return amount == 0 ? $"void {VoidReason.NothingToCapture}" : $"capture {amount}";
    }
}
