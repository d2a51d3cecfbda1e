using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Serilog.Events;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Issue 29 through the real services: named operators (a credentials file of name, role and token hash, beside
/// CHARGELINK_OPERATOR_TOKEN's development operator), a viewer who may read but not act, and the first act, voiding a
/// payment that waits for a connector: the record names who and why, the payment cloud gets one void with reason
/// voided-by-operator, and the payment never starts afterwards.
/// </summary>
[TestFixture]
public sealed class OperatorActsTests : SystemFixture
{
    private const int Voided = 0, ViewerTried = 1, Refused = 2, DoubleClick = 3, DevOperator = 4, UnlockFirst = 5, UnlockOffline = 8, StopFirst = 9, ResetFirst = 12, OutOfServiceFirst = 15;
    private static readonly string AliceToken = RandomToken(), VictorToken = RandomToken();
    private static readonly string OperatorsFile = WriteOperatorsFile();

    // One group per test; the unlocks, the stops, the resets and the times out of service one per OCPP version (5-7,
    // 9-11, 12-14, 15-17), and one whose station is never connected (8).
    protected override int Groups => 18;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_OPERATORS"] = OperatorsFile,
    };

    [Test]
    public async Task A_waiting_payment_voided_by_a_named_operator_is_voided_once_with_who_and_why_and_never_starts()
    {
        var paymentId = $"pay_opvoid_{Deployment.RunId}";
        await AWaitingPayment(Voided, paymentId);

        using var alice = ClientOf(AliceToken);
        var response = await alice.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "driver gave up at the terminal" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());

        var instruction = await Instruction(paymentId);
        Assert.That((instruction.Json["type"]!.GetValue<string>(), instruction.Json["reason"]!.GetValue<string>()), Is.EqualTo(("payment.void", "voided-by-operator")));
        var events = (await GroupEvents(Deployment.GroupIdOf(Voided))).ToList();
        var acted = events.OfType<OperatorActed>().Single(a => a.PaymentId == paymentId);
        Assert.Multiple(() =>
        {
            Assert.That((acted.Operator, acted.Act, acted.Reason), Is.EqualTo(("alice", OperatorActs.VoidPayment, "driver gave up at the terminal")));
            Assert.That(events.IndexOf(acted), Is.LessThan(events.IndexOf(events.OfType<PaymentVoidRequested>().Single(v => v.PaymentId == paymentId))), "who and why before the void");
        });

        // A car plugs in now, and the next driver pays: the voided payment never takes the connector.
        await using var station = await AStationWithAnOccupiedConnector(Voided);
        var next = $"pay_opvoid_next_{Deployment.RunId}";
        var start = await APaymentAskedToStart(station, Voided, next);
        Assert.That(start[3]!["idTag"]!.GetValue<string>(), Is.EqualTo(Deployment.IdTagOf(next)), "the first start after the void is the next payment's");
        await AssertNoSecondInstruction(Voided, paymentId);
    }

    [Test]
    public async Task A_viewer_reads_but_an_act_gets_403_is_logged_and_changes_nothing()
    {
        var paymentId = $"pay_viewer_{Deployment.RunId}";
        await AWaitingPayment(ViewerTried, paymentId);
        using var victor = ClientOf(VictorToken);

        Assert.That((await victor.GetAsync($"/payments/{paymentId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a viewer reads");
        var me = JsonNode.Parse(await victor.GetStringAsync("/console/me"))!;
        Assert.That((me["operator"]!.GetValue<string>(), me["role"]!.GetValue<string>()), Is.EqualTo(("victor", "viewer")), "told who it is");
        var response = await victor.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "just looking" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(Deployment.Logs.Events.Any(e => e.Level == LogEventLevel.Warning && LogCapture.Property(e, "Operator") == "victor"
            && e.RenderMessage().Contains("may not act", StringComparison.Ordinal)), "the refusal is logged with the viewer's name");
        var record = JsonNode.Parse(await victor.GetStringAsync($"/payments/{paymentId}"))!;
        Assert.That(record["status"]!.GetValue<string>(), Is.EqualTo("Waiting"), "nothing was sent");
        Assert.That((await GroupEvents(Deployment.GroupIdOf(ViewerTried))).OfType<OperatorActed>(), Is.Empty);
    }

    [Test]
    public async Task An_act_that_cannot_be_done_gets_a_clear_4xx_and_sends_nothing()
    {
        using var alice = ClientOf(AliceToken);
        var unknown = await alice.PostAsJsonAsync($"/payments/pay_never_{Deployment.RunId}/void", new { reason = "gone" });
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), await unknown.Content.ReadAsStringAsync());

        var paymentId = $"pay_refused_{Deployment.RunId}";
        await AWaitingPayment(Refused, paymentId);
        var noReason = await alice.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "  " });
        Assert.That(noReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "the audit needs a reason");

        // Once it is starting, it is the station's (stop the session instead): 409, and it starts as asked.
        await using var station = await AStationWithAnOccupiedConnector(Refused);
        var start = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        await Eventually.True(async () => JsonNode.Parse(await alice.GetStringAsync($"/payments/{paymentId}"))!["status"]!.GetValue<string>() == "Starting",
            TimeSpan.FromSeconds(10), "the read side sees the start");
        var starting = await alice.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "too late" });
        Assert.That(starting.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), await starting.Content.ReadAsStringAsync());
        Assert.That((await GroupEvents(Deployment.GroupIdOf(Refused))).OfType<OperatorActed>(), Is.Empty);
        Assert.That(start[3]!["idTag"]!.GetValue<string>(), Is.EqualTo(Deployment.IdTagOf(paymentId)));
    }

    [Test]
    public async Task A_double_submission_voids_once()
    {
        var paymentId = $"pay_double_{Deployment.RunId}";
        await AWaitingPayment(DoubleClick, paymentId);
        using var alice = ClientOf(AliceToken);
        var both = await Task.WhenAll(
            alice.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "double click" }),
            alice.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "double click" }));
        Assert.That(both.Select(r => r.StatusCode), Has.Some.EqualTo(HttpStatusCode.Accepted));
        Assert.That(both.Select(r => r.StatusCode), Is.All.AnyOf(HttpStatusCode.Accepted, HttpStatusCode.Conflict));

        await Instruction(paymentId);
        await AssertNoSecondInstruction(DoubleClick, paymentId);
        Assert.That((await GroupEvents(Deployment.GroupIdOf(DoubleClick))).OfType<OperatorActed>().Count(a => a.PaymentId == paymentId), Is.EqualTo(1), "one act on the record");
    }

    [Test]
    public async Task The_development_token_still_acts_as_the_operator_named_operator()
    {
        var paymentId = $"pay_devop_{Deployment.RunId}";
        await AWaitingPayment(DevOperator, paymentId);
        using var dev = Deployment.OperatorClient();
        var response = await dev.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "support call" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var acted = await Eventually.Get(async () => (await GroupEvents(Deployment.GroupIdOf(DevOperator))).OfType<OperatorActed>().FirstOrDefault(a => a.PaymentId == paymentId),
            TimeSpan.FromSeconds(10), "the act on the record");
        Assert.That(acted.Operator, Is.EqualTo("operator"));
    }

    [TestCaseSource(typeof(StationDriver), nameof(StationDriver.Versions))]
    public async Task An_unlock_reaches_the_station_once_in_its_version_and_its_answer_goes_on_the_record(string version)
    {
        var group = UnlockFirst + Array.IndexOf(StationDriver.Versions, version);
        await using var station = await StationDriver.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(group), version);
        await station.Occupy(1);
        await Occupied(group, 1);
        using var alice = ClientOf(AliceToken);
        var path = $"/groups/{Deployment.GroupIdOf(group)}/stations/{Deployment.ChargePointIdOf(group)}/connectors/1/unlock";
        var actId = $"act-{group}-{Deployment.RunId}";
        var response = await alice.PostAsJsonAsync(path, new { reason = "cable stuck, driver on the phone", actId });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());

        var call = await station.Station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        var expected = version == "ocpp1.6" ? new JsonObject { ["connectorId"] = 1 } : new JsonObject { ["evseId"] = 1, ["connectorId"] = 1 };
        Assert.That((call[2]!.GetValue<string>(), call[3]!.ToJsonString()), Is.EqualTo(("UnlockConnector", expected.ToJsonString())));
        // The second click of a double click, with the same act id, while the station holds the first: no second CALL.
        var again = await alice.PostAsJsonAsync(path, new { reason = "cable stuck, driver on the phone", actId });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await station.Station.Answer(call, new JsonObject { ["status"] = "Unlocked" });

        var groupId = Deployment.GroupIdOf(group);
        var answered = await Eventually.Get(async () => (await GroupEvents(groupId)).OfType<OperatorActAnswered>().FirstOrDefault(a => a.ActId == actId),
            TimeSpan.FromSeconds(10), "the station's answer on the record");
        var acted = (await GroupEvents(groupId)).OfType<OperatorActed>().First(a => a.ActId == actId);
        Assert.Multiple(() =>
        {
            Assert.That(answered.Answer, Is.EqualTo("Unlocked"));
            Assert.That((acted.Operator, acted.Act, acted.ChargePointId, acted.ConnectorId, acted.Reason),
                Is.EqualTo(("alice", OperatorActs.UnlockConnector, Deployment.ChargePointIdOf(group), (int?)1, "cable stuck, driver on the phone")));
        });
        // The second submission reached the group's partition before the station's answer did (it was published first),
        // so by now the group has decided it: nothing new, not on the record.
        Assert.That((await GroupEvents(groupId)).OfType<OperatorActed>().Count(a => a.ActId == actId), Is.EqualTo(1), "one act on the record");
        // Frames on one socket keep their order: a CALL sent before this answer would be here by now.
        await station.Station.Call("Heartbeat", []);
        Assert.That(station.Station.PendingCallsFromGateway, Is.Zero, "no second UnlockConnector");
    }

    [TestCaseSource(typeof(StationDriver), nameof(StationDriver.Versions))]
    public async Task A_session_stopped_by_an_operator_is_stopped_by_its_own_transaction_and_settles_from_its_readings(string version)
    {
        var group = StopFirst + Array.IndexOf(StationDriver.Versions, version);
        await using var station = await StationDriver.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(group), version);
        await station.Occupy(1);
        await Occupied(group, 1);
        var paymentId = $"pay_opstop_{group}_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(group)));
        await station.AcceptStart(TimeSpan.FromSeconds(15));
        await station.Begin(1, meterWh: 2000);
        using var alice = ClientOf(AliceToken);
        await Eventually.True(async () => JsonNode.Parse(await alice.GetStringAsync($"/payments/{paymentId}"))!["status"]!.GetValue<string>() == "Charging",
            TimeSpan.FromSeconds(10), "the read side sees the session charging");

        var response = await alice.PostAsJsonAsync($"/payments/{paymentId}/stop", new { reason = "driver asked by phone" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var stop = await station.Station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That((stop[2]!.GetValue<string>(), station.StoppedTransaction(stop)), Is.EqualTo((station.StopAction, station.TransactionId)), stop.ToJsonString());
        await station.Station.Answer(stop, new JsonObject { ["status"] = "Accepted" });
        await station.End(1, meterWh: 6000);

        // 4,000 Wh x 45 / 1000 = 180, from the station's own readings; the act and its answer in the payment's story.
        var capture = await Instruction(paymentId);
        Assert.That((capture.Json["type"]!.GetValue<string>(), capture.Json["amount"]!["value"]!.GetValue<long>()), Is.EqualTo(("payment.capture", 180L)));
        var story = JsonNode.Parse(await alice.GetStringAsync($"/payments/{paymentId}/story"))!["story"]!.AsArray().Select(l => l!["text"]!.GetValue<string>()).ToList();
        Assert.That(story.Any(l => l.Contains("alice: stop-session", StringComparison.Ordinal)), string.Join("\n", story));
        Assert.That(story.Any(l => l.Contains("answered act", StringComparison.Ordinal) && l.EndsWith(": Accepted", StringComparison.Ordinal)), string.Join("\n", story));
        var again = await alice.PostAsJsonAsync($"/payments/{paymentId}/stop", new { reason = "again" });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a settled session is not stopped again");
    }

    [TestCaseSource(typeof(StationDriver), nameof(StationDriver.Versions))]
    public async Task A_trigger_and_a_reset_reach_the_station_in_its_version_and_their_answers_go_on_the_record(string version)
    {
        var group = ResetFirst + Array.IndexOf(StationDriver.Versions, version);
        var (groupId, chargePointId) = (Deployment.GroupIdOf(group), Deployment.ChargePointIdOf(group));
        await using var station = await StationDriver.Connect(Deployment.GatewayUrl, chargePointId, version);
        await station.Occupy(1);
        await Occupied(group, 1);
        using var alice = ClientOf(AliceToken);
        var v16 = version == "ocpp1.6";

        var trigger = await alice.PostAsJsonAsync($"/groups/{groupId}/stations/{chargePointId}/connectors/1/trigger-status",
            new { reason = "tile looks stale", actId = $"trigger-{group}-{Deployment.RunId}" });
        Assert.That(trigger.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await trigger.Content.ReadAsStringAsync());
        var triggerCall = await station.Station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        var triggerExpected = v16
            ? new JsonObject { ["requestedMessage"] = "StatusNotification", ["connectorId"] = 1 }
            : new JsonObject { ["requestedMessage"] = "StatusNotification", ["evse"] = new JsonObject { ["id"] = 1, ["connectorId"] = 1 } };
        Assert.That((triggerCall[2]!.GetValue<string>(), triggerCall[3]!.ToJsonString()), Is.EqualTo(("TriggerMessage", triggerExpected.ToJsonString())));
        await station.Station.Answer(triggerCall, new JsonObject { ["status"] = "Accepted" });

        var reset = await alice.PostAsJsonAsync($"/groups/{groupId}/stations/{chargePointId}/reset",
            new { reason = "firmware hung", actId = $"reset-{group}-{Deployment.RunId}", hard = true });
        Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await reset.Content.ReadAsStringAsync());
        var resetCall = await station.Station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That((resetCall[2]!.GetValue<string>(), resetCall[3]!["type"]!.GetValue<string>()), Is.EqualTo(("Reset", v16 ? "Hard" : "Immediate")));
        await station.Station.Answer(resetCall, new JsonObject { ["status"] = "Rejected" });

        var answers = await Eventually.Get(async () =>
        {
            var found = (await GroupEvents(groupId)).OfType<OperatorActAnswered>().ToList();
            return found.Count >= 2 ? found : null;
        }, TimeSpan.FromSeconds(10), "both answers on the record");
        var acts = (await GroupEvents(groupId)).OfType<OperatorActed>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(a => (a.ActId, a.Answer)), Is.EquivalentTo(new[]
            {
                ($"trigger-{group}-{Deployment.RunId}", "Accepted"), ($"reset-{group}-{Deployment.RunId}", "Rejected"),
            }));
            Assert.That(acts.Select(a => (a.Act, a.Option, a.Operator)), Is.EquivalentTo(new[]
            {
                (OperatorActs.TriggerStatus, (string?)null, "alice"), (OperatorActs.ResetStation, "hard", "alice"),
            }));
        });
    }

    [TestCaseSource(typeof(StationDriver), nameof(StationDriver.Versions))]
    public async Task A_connector_out_of_service_is_never_chosen_until_returned_and_the_console_shows_who_took_it_out(string version)
    {
        var group = OutOfServiceFirst + Array.IndexOf(StationDriver.Versions, version);
        var (groupId, chargePointId) = (Deployment.GroupIdOf(group), Deployment.ChargePointIdOf(group));
        await using var station = await StationDriver.Connect(Deployment.GatewayUrl, chargePointId, version);
        using var alice = ClientOf(AliceToken);
        var path = $"/groups/{groupId}/stations/{chargePointId}/connectors/1";
        var v16 = version == "ocpp1.6";

        var takeOut = await alice.PostAsJsonAsync($"{path}/out-of-service", new { reason = "holster broken", actId = $"out-{group}-{Deployment.RunId}" });
        Assert.That(takeOut.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await takeOut.Content.ReadAsStringAsync());
        var inoperative = await station.Station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        var expected = v16 ? new JsonObject { ["connectorId"] = 1, ["type"] = "Inoperative" }
            : new JsonObject { ["operationalStatus"] = "Inoperative", ["evse"] = new JsonObject { ["id"] = 1 } };
        Assert.That((inoperative[2]!.GetValue<string>(), inoperative[3]!.ToJsonString()), Is.EqualTo(("ChangeAvailability", expected.ToJsonString())));
        // A station that refuses changes nothing: the group no longer chooses the connector from the act on.
        await station.Station.Answer(inoperative, new JsonObject { ["status"] = "Rejected" });

        // A driver pays, and a car is plugged in there: the plug-in is recorded, and no start is decided with it.
        var paymentId = $"pay_oos_{group}_{Deployment.RunId}";
        await AWaitingPayment(group, paymentId);
        await station.Occupy(1);
        await Eventually.True(async () => (await GroupEvents(groupId)).OfType<ConnectorStatusNoted>().Any(n => n.ConnectorId == 1 && n.Status == ConnectorStatus.Preparing),
            TimeSpan.FromSeconds(10), "the plug-in on the record");
        var events = await GroupEvents(groupId);
        Assert.Multiple(() =>
        {
            Assert.That(events.OfType<ChargingStartRequested>(), Is.Empty, "decided with the plug-in: no start");
            Assert.That(events.OfType<ConnectorTakenOutOfService>().Single(), Is.EqualTo(new ConnectorTakenOutOfService(chargePointId, 1,
                $"out-{group}-{Deployment.RunId}", "alice", "holster broken", events.OfType<OperatorActed>().Single().At)));
            Assert.That(events.OfType<OperatorActAnswered>().Single().Answer, Is.EqualTo("Rejected"));
        });
        var tile = JsonNode.Parse(await alice.GetStringAsync($"/groups/{groupId}"))!["connectors"]!.AsArray().Single(c => c!["connectorId"]!.GetValue<int>() == 1)!;
        Assert.That((tile["outOfService"]?["operator"]?.GetValue<string>(), tile["outOfService"]?["reason"]?.GetValue<string>()), Is.EqualTo(("alice", "holster broken")));

        // Returned: the waiting payment starts there at once.
        var back = await alice.PostAsJsonAsync($"{path}/in-service", new { reason = "holster replaced", actId = $"in-{group}-{Deployment.RunId}" });
        Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await back.Content.ReadAsStringAsync());
        var operative = await station.Station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That((operative[2]!.GetValue<string>(), operative[3]![v16 ? "type" : "operationalStatus"]!.GetValue<string>()), Is.EqualTo(("ChangeAvailability", "Operative")));
        await station.Station.Answer(operative, new JsonObject { ["status"] = "Accepted" });
        await station.AcceptStart(TimeSpan.FromSeconds(15));
        var started = (await GroupEvents(groupId)).OfType<ChargingStartRequested>().Single();
        Assert.That((started.PaymentId, started.ConnectorId), Is.EqualTo((paymentId, 1)));
        tile = JsonNode.Parse(await alice.GetStringAsync($"/groups/{groupId}"))!["connectors"]!.AsArray().Single(c => c!["connectorId"]!.GetValue<int>() == 1)!;
        Assert.That(tile["outOfService"], Is.Null, "back in service");
    }

    [Test]
    public async Task An_unlock_for_a_station_connected_nowhere_is_answered_offline_at_once_and_a_wrong_target_gets_404()
    {
        using var alice = ClientOf(AliceToken);
        var actId = $"act-offline-{Deployment.RunId}";
        var response = await alice.PostAsJsonAsync(
            $"/groups/{Deployment.GroupIdOf(UnlockOffline)}/stations/{Deployment.ChargePointIdOf(UnlockOffline)}/connectors/1/unlock",
            new { reason = "remote check", actId });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var answered = await Eventually.Get(async () => (await GroupEvents(Deployment.GroupIdOf(UnlockOffline))).OfType<OperatorActAnswered>().FirstOrDefault(a => a.ActId == actId),
            TimeSpan.FromSeconds(10), "answered without waiting for a timeout");
        Assert.That(answered.Answer, Is.EqualTo("Offline"));

        var wrongConnector = await alice.PostAsJsonAsync(
            $"/groups/{Deployment.GroupIdOf(UnlockOffline)}/stations/{Deployment.ChargePointIdOf(UnlockOffline)}/connectors/99/unlock",
            new { reason = "typo" });
        Assert.That(wrongConnector.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), await wrongConnector.Content.ReadAsStringAsync());
        var otherGroup = await alice.PostAsJsonAsync(
            $"/groups/{Deployment.GroupIdOf(UnlockOffline)}/stations/{Deployment.ChargePointIdOf(Voided)}/connectors/1/unlock",
            new { reason = "wrong site" });
        Assert.That(otherGroup.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a station of another group");
        using var victor = ClientOf(VictorToken);
        var viewer = await victor.PostAsJsonAsync(
            $"/groups/{Deployment.GroupIdOf(UnlockOffline)}/stations/{Deployment.ChargePointIdOf(UnlockOffline)}/connectors/1/unlock",
            new { reason = "just looking" });
        Assert.That(viewer.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    // A payment authorized at the group's terminal, with no connector occupied: it waits.
    private async Task AWaitingPayment(int group, string paymentId)
    {
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(group)));
        using var http = Deployment.OperatorClient();
        await Eventually.True(async () =>
        {
            var response = await http.GetAsync($"/payments/{paymentId}");
            return response.IsSuccessStatusCode && JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>() == "Waiting";
        }, TimeSpan.FromSeconds(10), $"{paymentId} waits");
    }

    private HttpClient ClientOf(string token)
    {
        var http = new HttpClient { BaseAddress = Deployment.OrchestratorUrl };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static string RandomToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private static string WriteOperatorsFile()
    {
        static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var path = Path.Combine(Path.GetTempPath(), $"chargelink-operators-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, new JsonObject
        {
            ["operators"] = new JsonArray(
                new JsonObject { ["name"] = "alice", ["role"] = "operator", ["tokenSha256"] = Hash(AliceToken) },
                new JsonObject { ["name"] = "victor", ["role"] = "viewer", ["tokenSha256"] = Hash(VictorToken) }),
        }.ToJsonString());
        return path;
    }
}
