using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Tens of thousands of random and mutated frames (<see cref="FrameFuzzer"/>) on one real connection. Every frame whose
/// CALL id can be read gets exactly one answer with that id, of the kind the rules settle where they do; every other
/// frame gets none; the connection stays up and serves the next good frame; nothing is logged as an error; only what
/// was answered with a CALLRESULT reaches the group's stream, which still folds. Each of OCPP 1.6, 2.0.1 and 2.1 is fuzzed
/// with its own payloads and expected codes. CHARGELINK_FUZZ_SEED replays a run.
/// </summary>
[TestFixture]
public sealed class GatewayFuzzTests : SystemFixture
{
    private const int Frames = 20_000;
    private const int RefusedFrames = 4_000;
    private const int OversizeFrames = 6;
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(5);

    // The fuzz is for the parser and handlers, not for the rate limit (tested on its own).
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_GATEWAY_FRAMES_PER_SECOND"] = "1000000",
        ["CHARGELINK_GATEWAY_FRAME_BURST"] = "1000000",
    };

    [TestCase(FrameFuzzer.Ocpp16)]
    [TestCase(FrameFuzzer.Ocpp201)]
    [TestCase(FrameFuzzer.Ocpp21)]
    public async Task Random_and_mutated_frames_are_each_answered_or_dropped_and_the_next_good_frame_is_served(string subprotocol)
    {
        var seed = Seed();
        // A frame beyond the cap closes the connection: that has a test of its own, below.
        var fuzzer = new FrameFuzzer(seed, subprotocol) { OversizeOneIn = 0 };
        var since = DateTimeOffset.UtcNow;
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: subprotocol);
        await using var marker = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.SecuredChargePointId, Deployment.SecuredPassword);
        var start = await Mark(marker, ConnectorStatus.Unavailable);

        var answered = 0;
        var served = new Dictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < Frames; n++)
        {
            var id = FrameFuzzer.MessageId("f", n);
            var frame = fuzzer.Next(id);
            if (await Send(station, frame, id, n) is not { } answer)
                continue;
            answered++;
            foreach (var cause in answer[0]!.GetValue<int>() == 3 ? Publishes(frame.Text!) : [])
                served[cause] = served.GetValueOrDefault(cause) + 1;
        }
        clock.Stop();
        TestContext.Out.WriteLine($"{Frames} frames in {clock.Elapsed.TotalSeconds:0.0} s ({Frames / clock.Elapsed.TotalSeconds:0} frames/s), {answered} answered, {served.Values.Sum()} served that may publish");

        var heartbeat = await station.Call("Heartbeat", []);
        var end = await Mark(marker, ConnectorStatus.Faulted);
        var stream = await GroupEvents();
        Assert.That(station.Subprotocol, Is.EqualTo(subprotocol));
        var unexplained = Unexplained(stream.Skip(start + 1).Take(end - start - 1), served);
        TestContext.Out.WriteLine($"{end - start - 1} events reached the group's stream meanwhile, {unexplained.Count} unexplained");
        Assert.Multiple(() =>
        {
            Assert.That(heartbeat[0]!.GetValue<int>(), Is.EqualTo(3), "the next good frame is served");
            Assert.That(answered, Is.GreaterThan(Frames / 3), "the fuzz reached the handlers, not only the parser");
            Assert.That(station.UnmatchedAnswers, Is.Zero, "no answer to a frame that could not be answered, and none twice");
            Assert.That(ErrorsSince(since), Is.Empty);
            Assert.That(unexplained, Is.Empty, "every event of the fuzz station comes from a CALL that may publish, answered with a CALLRESULT");
            Assert.DoesNotThrow(() => GroupState.Fold(stream.Cast<IGroupEvent>()), "what was published is well-formed");
        });
    }

    [TestCase(FrameFuzzer.Ocpp16)]
    [TestCase(FrameFuzzer.Ocpp201)]
    [TestCase(FrameFuzzer.Ocpp21)]
    public async Task Frames_that_are_refused_or_dropped_add_nothing_to_the_group_stream(string subprotocol)
    {
        var seed = Seed() + 1;
        var fuzzer = new FrameFuzzer(seed, subprotocol) { OversizeOneIn = 0 };
        var since = DateTimeOffset.UtcNow;
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: subprotocol);
        await using var marker = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.SecuredChargePointId, Deployment.SecuredPassword);
        var start = await Mark(marker, ConnectorStatus.Unavailable);

        var refusedThatWouldPublish = 0;
        for (int n = 0, sent = 0; sent < RefusedFrames; n++)
        {
            var id = FrameFuzzer.MessageId("r", n);
            var frame = fuzzer.Next(id);
            // Only frames settled to get a CALLERROR, or no answer at all.
            if (frame.ExpectsAnswer && frame.Expected is null or FuzzFrame.CallResult)
                continue;
            sent++;
            await Send(station, frame, id, n);
            if (frame.Text is { } text && MayPublish(text))
                refusedThatWouldPublish++;
        }

        var heartbeat = await station.Call("Heartbeat", []);
        var end = await Mark(marker, ConnectorStatus.Faulted);
        var added = (await GroupEvents()).Skip(start + 1).Take(end - start - 1).Select(e => e.ToString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(heartbeat[0]!.GetValue<int>(), Is.EqualTo(3), "the next good frame is served");
            Assert.That(refusedThatWouldPublish, Is.GreaterThan(RefusedFrames / 10), "StatusNotifications and transactions were among them");
            Assert.That(station.Subprotocol, Is.EqualTo(subprotocol));
            Assert.That(added, Is.Empty, "nothing published for a frame that was refused or dropped");
            Assert.That(station.UnmatchedAnswers, Is.Zero);
            Assert.That(ErrorsSince(since), Is.Empty);
        });
    }

    [Test]
    public async Task A_frame_beyond_the_cap_closes_the_connection_with_MessageTooBig_and_the_station_is_served_once_reconnected()
    {
        var fuzzer = new FrameFuzzer(Seed() + 2) { OversizeOneIn = 1 };
        var since = DateTimeOffset.UtcNow;
        for (var n = 0; n < OversizeFrames; n++)
        {
            await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
            Assert.That((await station.Call("Heartbeat", []))[0]!.GetValue<int>(), Is.EqualTo(3), "served before");
            var frame = fuzzer.Next(FrameFuzzer.MessageId("o", n));
            Assert.That((frame.ClosesConnection, frame.ExpectsAnswer), Is.EqualTo((true, false)));
            await (frame.Binary is { } bytes ? station.SendBinary(bytes) : station.SendText(frame.Text!));
            Assert.That(await station.WaitClosed(TimeSpan.FromSeconds(5)), Is.True, $"frame {n} ({(frame.Binary ?? []).Length + (frame.Text ?? "").Length} bytes) closes the connection");
            Assert.That(station.CloseStatus, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
            Assert.That(station.UnmatchedAnswers, Is.Zero);
        }
        await using var again = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        Assert.That((await again.Call("Heartbeat", []))[0]!.GetValue<int>(), Is.EqualTo(3), "served once reconnected");
        Assert.That(ErrorsSince(since), Is.Empty);
    }

    private static int Seed()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CHARGELINK_FUZZ_SEED"), CultureInfo.InvariantCulture, out var given) ? given : Environment.TickCount;
        TestContext.Out.WriteLine($"fuzz seed {seed} (CHARGELINK_FUZZ_SEED={seed} replays it)");
        return seed;
    }

    /// <summary>Sends one frame; for a frame owed an answer, waits for it and checks it against the rules.</summary>
    private static async Task<JsonArray?> Send(StationSimulator station, FuzzFrame frame, string id, int n)
    {
        if (!frame.ExpectsAnswer)
        {
            await (frame.Binary is { } bytes ? station.SendBinary(bytes) : station.SendText(frame.Text!));
            return null;
        }
        JsonArray answer;
        try
        {
            answer = await station.SendRaw(frame.Text!, id, AnswerWithin);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"frame {n} got no answer within {AnswerWithin.TotalSeconds:0} s: {Shorten(frame.Text!)}");
            throw;
        }
        if (FrameFuzzer.WhatIsWrong(answer, id, frame.Expected) is { } problem)
            Assert.Fail($"frame {n}: {problem}\n  sent:     {Shorten(frame.Text!)}\n  answered: {Shorten(answer.ToJsonString())}");
        return answer;
    }

    /// <summary>
    /// For a CALL answered with a CALLRESULT, what it may have caused in the group's stream (see <see cref="Unexplained"/>),
    /// in the Domain's words: 1.6's StatusNotification and StartTransaction; 2.x's StatusNotification (Occupied is the
    /// Domain's Preparing), a TransactionEvent that opens (occupied) or ends (available) a transaction no payment started,
    /// and a connector's AvailabilityState in NotifyEvent.
    /// </summary>
    private static IEnumerable<string> Publishes(string text)
    {
        var frame = JsonNode.Parse(text)!.AsArray();
        var payload = frame[3]!.AsObject();
        static string State(string status) => status == "Occupied" ? "Preparing" : status;
        var transactionEvse = (payload["evse"] as JsonObject)?["id"];
        switch (frame[2]!.GetValue<string>())
        {
            case "StatusNotification" when payload["evseId"] is { } evse:
                yield return $"status {Int(evse)} {State(payload["connectorStatus"]!.GetValue<string>())}";
                break;
            case "StatusNotification":
                yield return $"status {Int(payload["connectorId"]!)} {payload["status"]!.GetValue<string>()}";
                break;
            case "StartTransaction":
                yield return $"start {Int(payload["connectorId"]!)}";
                break;
            case "TransactionEvent" when transactionEvse is not null:
                var eventType = payload["eventType"]!.GetValue<string>();
                if (eventType == "Started")
                    yield return $"status {Int(transactionEvse)} Preparing";
                else if (eventType == "Ended")
                    yield return $"status {Int(transactionEvse)} Available";
                break;
            case "NotifyEvent":
                foreach (var data in payload["eventData"]!.AsArray().OfType<JsonObject>())
                {
                    if (data["component"]?["name"]?.GetValue<string>() == "Connector" && data["variable"]?["name"]?.GetValue<string>() == "AvailabilityState"
                        && data["component"]?["evse"]?["id"] is { } at)
                        yield return $"status {Int(at)} {State(data["actualValue"]!.GetValue<string>())}";
                }
                break;
        }
    }

    private static bool MayPublish(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonArray { Count: > 2 } frame && frame[2] is JsonValue action && action.TryGetValue<string>(out var name)
                && name is "StatusNotification" or "StartTransaction" or "StopTransaction" or "TransactionEvent" or "NotifyEvent";
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    // As the schemas read an integer: 2, 2.0 and 0.2e1 are the same.
    private static int Int(JsonNode number) => (int)decimal.Parse(number.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>
    /// The events a served CALL does not account for, each served CALL accounting for one event at most: a status
    /// becomes ConnectorOccupied (Preparing), ConnectorVacated or ConnectorStatusNoted for its connector; a started
    /// transaction may vacate its connector (Charging). Anything else is unexplained.
    /// </summary>
    private List<string> Unexplained(IEnumerable<object> events, Dictionary<string, int> served)
    {
        var left = new Dictionary<string, int>(served, StringComparer.Ordinal);
        bool Take(string cause)
        {
            if (left.GetValueOrDefault(cause) == 0)
                return false;
            left[cause]--;
            return true;
        }
        var unexplained = new List<string>();
        foreach (var e in events)
        {
            var explained = e switch
            {
                ConnectorOccupied o => o.ChargePointId == Deployment.ChargePointId && Take($"status {o.ConnectorId} Preparing"),
                ConnectorStatusNoted s => s.ChargePointId == Deployment.ChargePointId && Take($"status {s.ConnectorId} {s.Status}"),
                ConnectorVacated v => v.ChargePointId == Deployment.ChargePointId
                    // A start can only vacate (Charging), a status can do more: a start is used up first.
                    && ((v.Status == ConnectorStatus.Charging && Take($"start {v.ConnectorId}")) || Take($"status {v.ConnectorId} {v.Status}")),
                _ => false,
            };
            if (!explained)
                unexplained.Add(e.ToString()!);
        }
        return unexplained;
    }

    /// <summary>
    /// A mark in the group's stream: a status of the other station of the group, whose events are appended after those
    /// of everything published before it (one queue, one group handled in order). Returns the mark's index.
    /// </summary>
    private async Task<int> Mark(StationSimulator marker, ConnectorStatus status)
    {
        if (status == ConnectorStatus.Unavailable)
        {
            // The opening mark: a repeat would add no event (a test that failed may have left the station Unavailable), so
            // first a status that is not it, whose event lands before the mark.
            var reset = await marker.Call("StatusNotification", new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = "Available" });
            Assert.That(reset[0]!.GetValue<int>(), Is.EqualTo(3), reset.ToJsonString());
        }
        var from = (await GroupEvents()).Count;
        var answer = await marker.Call("StatusNotification", new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = status.ToString() });
        Assert.That(answer[0]!.GetValue<int>(), Is.EqualTo(3), answer.ToJsonString());
        bool IsMark(object e) => e switch
        {
            ConnectorStatusNoted s => s.ChargePointId == Deployment.SecuredChargePointId && s.Status == status,
            ConnectorVacated v => v.ChargePointId == Deployment.SecuredChargePointId && v.Status == status,
            _ => false,
        };
        var index = -1;
        await Eventually.True(async () =>
        {
            var events = await GroupEvents();
            index = events.Select((e, i) => (e, i)).Skip(from).Where(x => IsMark(x.e)).Select(x => x.i).DefaultIfEmpty(-1).Last();
            return index >= 0;
        }, TimeSpan.FromSeconds(60), $"the {status} mark reaches the group's stream");
        return index;
    }

    private IEnumerable<string> ErrorsSince(DateTimeOffset since) =>
        Deployment.Logs.Events.Where(e => e.Timestamp >= since && e.Level >= Serilog.Events.LogEventLevel.Error).Select(e => e.RenderMessage() + " " + e.Exception?.Message);

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + $"… ({text.Length} characters)";
}
