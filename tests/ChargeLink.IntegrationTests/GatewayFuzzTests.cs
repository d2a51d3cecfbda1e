using System.Text;
using System.Text.Json.Nodes;
using ChargeLink.Cli.Simulators;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Thousands of random and mutated frames on one real connection. Every frame whose CALL id can be read gets
/// exactly one answer with that id; every other frame gets none; the connection stays up and serves the next
/// good frame; nothing is logged as an error; whatever reached the group's stream still folds.
/// </summary>
[TestFixture]
public sealed class GatewayFuzzTests : SystemFixture
{
    private const int Frames = 3000;

    // The fuzz is for the parser and handlers, not for the rate limit (tested on its own).
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_GATEWAY_FRAMES_PER_SECOND"] = "1000000",
        ["CHARGELINK_GATEWAY_FRAME_BURST"] = "1000000",
    };

    private static readonly string[] Actions =
    [
        "BootNotification", "Heartbeat", "StatusNotification", "Authorize", "StartTransaction", "StopTransaction",
        "MeterValues", "DataTransfer", "DiagnosticsStatusNotification", "FirmwareStatusNotification", "NoSuchAction", "",
    ];

    private static readonly JsonObject[] ValidPayloads =
    [
        new() { ["chargePointVendor"] = "V", ["chargePointModel"] = "M" },
        new(),
        new() { ["connectorId"] = 2, ["errorCode"] = "NoError", ["status"] = "Preparing", ["timestamp"] = "2026-11-24T10:00:00Z" },
        new() { ["idTag"] = "ABC" },
        new() { ["connectorId"] = 2, ["idTag"] = "ABC", ["meterStart"] = 0, ["timestamp"] = "2026-11-24T10:00:00Z" },
        new() { ["transactionId"] = 1, ["meterStop"] = 10, ["timestamp"] = "2026-11-24T10:00:00Z" },
        new() { ["connectorId"] = 2, ["meterValue"] = new JsonArray(new JsonObject { ["timestamp"] = "2026-11-24T10:00:00Z", ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = "1" }) }) },
        new() { ["vendorId"] = "x" },
        new() { ["status"] = "Idle" },
        new() { ["status"] = "Installed" },
    ];

    private static readonly JsonNode?[] OddValues =
    [
        null, true, -1, 0, 2147483648, 1e300, 1.5, "", new string('x', 600), "Preparing", "2026-13-45T99:99:99Z", "ünïcødé \u0000",
        new JsonArray(), new JsonObject(), new JsonArray(1, "two", new JsonObject()),
    ];

    [Test]
    public async Task Random_and_mutated_frames_are_each_answered_or_dropped_and_the_next_good_frame_is_served()
    {
        var seed = Environment.TickCount;
        TestContext.Out.WriteLine($"fuzz seed {seed}");
        var random = new Random(seed);
        var since = DateTimeOffset.UtcNow;
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);

        var answered = 0;
        for (var n = 0; n < Frames; n++)
        {
            var id = $"f{n}";
            var (text, expectsAnswer) = Frame(random, id);
            if (expectsAnswer)
            {
                var answer = await station.SendRaw(text, id, TimeSpan.FromSeconds(5));
                Assert.That(answer[0]!.GetValue<int>(), Is.EqualTo(3).Or.EqualTo(4), $"frame {n}: {text}");
                if (answer[0]!.GetValue<int>() == 4)
                    Assert.That(answer, Has.Count.EqualTo(5), $"a CALLERROR is [4, id, code, description, details]: {answer.ToJsonString()}");
                answered++;
            }
            else
            {
                await station.SendText(text);
            }
        }

        var heartbeat = await station.Call("Heartbeat", []);
        var stream = await GroupEvents();
        Assert.Multiple(() =>
        {
            Assert.That(heartbeat[0]!.GetValue<int>(), Is.EqualTo(3), "the next good frame is served");
            Assert.That(answered, Is.GreaterThan(Frames / 3), "the fuzz reached the handlers, not only the parser");
            Assert.That(station.UnmatchedAnswers, Is.Zero, "no answer to a frame that could not be answered");
            Assert.That(Deployment.Logs.Events.Where(e => e.Timestamp >= since && e.Level >= Serilog.Events.LogEventLevel.Error).Select(e => e.RenderMessage()), Is.Empty);
            Assert.DoesNotThrow(() => GroupState.Fold(stream.Cast<IGroupEvent>()), "what was published is well-formed");
        });
    }

    /// <summary>A frame, and whether the gateway owes it an answer (a CALL whose id it can read).</summary>
    private static (string Text, bool ExpectsAnswer) Frame(Random random, string id)
    {
        switch (random.Next(10))
        {
            case 0:
                // Bytes that are not JSON, or JSON that is not an array.
                return (random.Next(3) switch
                {
                    0 => Encoding.UTF8.GetString(RandomBytes(random)),
                    1 => $"{{\"id\":\"{id}\"}}",
                    _ => "[2, \"" + id + "\", \"Heartbeat\", {",
                }, false);
            case 1:
                // Answers to CALLs the gateway never made: logged and dropped.
                return (random.Next(2) == 0 ? $"[3, \"{id}\", {{}}]" : $"[4, \"{id}\", \"GenericError\", \"x\", {{}}]", false);
            case 2:
                // An unreadable id: nothing to answer.
                return ($"[2, {random.Next()}, \"Heartbeat\", {{}}]", false);
            default:
                var index = random.Next(Actions.Length);
                var payload = index < ValidPayloads.Length ? ValidPayloads[index].DeepClone().AsObject() : new JsonObject();
                Mutate(random, payload);
                var frame = new JsonArray(2, id, Actions[index], payload);
                if (random.Next(8) == 0)
                    frame[random.Next(4) == 0 ? 0 : 3] = Odd(random);
                if (random.Next(12) == 0)
                    frame.Add(Odd(random));
                var type = frame[0] is JsonValue v && v.TryGetValue<int>(out var t) ? t : -1;
                // With a readable id, anything but an answer type gets an answer (a result or a CALLERROR).
                return (frame.ToJsonString(), type is not (3 or 4));
        }
    }

    private static void Mutate(Random random, JsonObject payload)
    {
        for (var i = random.Next(4); i > 0; i--)
        {
            var keys = payload.Select(p => p.Key).ToList();
            switch (random.Next(3))
            {
                case 0 when keys.Count > 0:
                    payload.Remove(keys[random.Next(keys.Count)]);
                    break;
                case 1 when keys.Count > 0:
                    payload[keys[random.Next(keys.Count)]] = Odd(random);
                    break;
                default:
                    payload[$"extra{random.Next(5)}"] = Odd(random);
                    break;
            }
        }
    }

    private static JsonNode? Odd(Random random) => OddValues[random.Next(OddValues.Length)]?.DeepClone();

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 200)];
        random.NextBytes(bytes);
        return bytes;
    }
}
