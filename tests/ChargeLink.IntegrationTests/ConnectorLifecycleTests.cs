using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Rules 13-16 through the real services, with two orchestrator instances: a car that leaves never blocks the next one,
/// a reboot loses a start without refusing it, a re-plug is never lost, and repeats do not become history. The bounds
/// are the defaults (120 s for a start to begin), so an outcome seen within seconds comes from the rule, not a timeout.
/// </summary>
[TestFixture]
public sealed class ConnectorLifecycleTests : SystemFixture
{
    protected override int Groups => 9;

    // The re-plug test's stations report as fast as they are answered; the per-station frame limit is not under test here.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["CHARGELINK_GATEWAY_FRAMES_PER_SECOND"] = "1000" };

    private const int LeaveAfterAccept = 0, Repeats = 1, Reboot = 2, Fault = 3, ReplugFirst = 4, RebootCarLeft = 8;
    private const int ReplugGroups = 4;

    [OneTimeSetUp]
    public async Task SecondOrchestrator() => await Deployment.StartOrchestrator();

    [Test]
    public async Task A_car_that_leaves_after_the_accepted_start_does_not_block_the_next_driver_on_that_connector()
    {
        await using var station = await AStationWithAnOccupiedConnector(LeaveAfterAccept);
        var first = $"pay_leave1_{Deployment.RunId}";
        var remoteStart = await APaymentAskedToStart(station, LeaveAfterAccept, first);
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(LeaveAfterAccept))).OfType<RemoteStartAccepted>().Any(), TimeSpan.FromSeconds(10), "the acceptance is recorded");

        // The car leaves before charging; a second driver plugs into the same connector and pays.
        await Status(station, 1, "Available");
        var voided = await Instruction(first);
        Assert.That((voided.Json["type"]!.GetValue<string>(), voided.Json["reason"]!.GetValue<string>()), Is.EqualTo(("payment.void", VoidReason.ChargingNotStarted)));
        await Status(station, 1, "Preparing");
        var second = $"pay_leave2_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(second, Deployment.TerminalIdOf(LeaveAfterAccept)));
        var secondStart = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That((secondStart[3]!["connectorId"]!.GetValue<int>(), secondStart[3]!["idTag"]!.GetValue<string>()), Is.EqualTo((1, Deployment.IdTagOf(second))));
        await station.Answer(secondStart, new JsonObject { ["status"] = "Accepted" });
        await AssertNoSecondInstruction(LeaveAfterAccept, first);
        await AssertNoSecondInstruction(LeaveAfterAccept, second, expected: 0);
    }

    [Test]
    public async Task Fifty_identical_statuses_add_at_most_one_event_to_the_groups_stream()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(Repeats));
        // A marker before and after: the stream is read once the last status has certainly been applied.
        await Status(station, 2, "Unavailable");
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Repeats))).OfType<ConnectorStatusNoted>().Any(n => n.ConnectorId == 2), TimeSpan.FromSeconds(10), "the first marker is recorded");
        var before = (await GroupEvents(Deployment.GroupIdOf(Repeats))).Count;
        for (var i = 0; i < 50; i++)
            await Status(station, 1, "Available");
        await Status(station, 2, "Available");
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Repeats))).OfType<ConnectorStatusNoted>().Count(n => n.ConnectorId == 2) == 2, TimeSpan.FromSeconds(10), "the last marker is recorded");
        var added = (await GroupEvents(Deployment.GroupIdOf(Repeats))).Skip(before).ToList();
        Assert.That(added.OfType<ConnectorStatusNoted>().Count(n => n.ConnectorId == 1), Is.EqualTo(1), "fifty reports of Available, one event");
        Assert.That(added, Has.Count.EqualTo(2), "that one and the closing marker");
    }

    [Test]
    public async Task A_station_that_reboots_before_charging_loses_the_start_and_the_payment_takes_the_connector_again()
    {
        var chargePointId = Deployment.ChargePointIdOf(Reboot);
        var paymentId = $"pay_reboot_{Deployment.RunId}";
        var station = await StationSimulator.Connect(Deployment.GatewayUrl, chargePointId);
        await Status(station, 1, "Preparing");
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(Reboot)));
        var remoteStart = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Reboot))).OfType<RemoteStartAccepted>().Any(), TimeSpan.FromSeconds(10), "the acceptance is recorded");

        // The station reboots: a new connection, BootNotification, and the same Preparing it reported before.
        await station.DisposeAsync();
        await using var rebooted = await StationSimulator.Connect(Deployment.GatewayUrl, chargePointId);
        await rebooted.Call("BootNotification", new JsonObject { ["chargePointVendor"] = "Test", ["chargePointModel"] = "Reboot" });
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Reboot))).OfType<RemoteStartLost>().Any(l => l.PaymentId == paymentId), TimeSpan.FromSeconds(10), "the start is lost");
        await Status(rebooted, 1, "Preparing");
        var again = await rebooted.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That((again[2]!.GetValue<string>(), again[3]!["connectorId"]!.GetValue<int>(), again[3]!["idTag"]!.GetValue<string>()),
            Is.EqualTo(("RemoteStartTransaction", 1, Deployment.IdTagOf(paymentId))));
        await rebooted.Answer(again, new JsonObject { ["status"] = "Accepted" });
        await AssertNoSecondInstruction(Reboot, paymentId, expected: 0);
    }

    /// <summary>
    /// Fault 4 of the money issue: the connection drops after the accepted start and before StartTransaction; the station
    /// comes back within the start's bound, boots, reports the connector Available (the car left), then a new car. Before,
    /// the old payment took the new car at once and the new driver's payment waited and voided.
    /// </summary>
    [Test]
    public async Task A_start_lost_to_a_dropped_connection_is_voided_when_its_car_leaves_and_the_next_car_gets_the_next_payment()
    {
        var chargePointId = Deployment.ChargePointIdOf(RebootCarLeft);
        var old = $"pay_lostcar_old_{Deployment.RunId}";
        var next = $"pay_lostcar_new_{Deployment.RunId}";
        var station = await StationSimulator.Connect(Deployment.GatewayUrl, chargePointId);
        await Status(station, 1, "Preparing");
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(old, Deployment.TerminalIdOf(RebootCarLeft)));
        var remoteStart = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(RebootCarLeft))).OfType<RemoteStartAccepted>().Any(), TimeSpan.FromSeconds(10), "the acceptance is recorded");

        // The connection drops before StartTransaction; the station comes back and boots. Another car plugs in at connector 2.
        await station.DisposeAsync();
        await using var back = await StationSimulator.Connect(Deployment.GatewayUrl, chargePointId);
        await back.Call("BootNotification", new JsonObject { ["chargePointVendor"] = "Test", ["chargePointModel"] = "Dropped" });
        await Status(back, 2, "Preparing");
        // The first car has left connector 1.
        await Status(back, 1, "Available");
        var voided = await Instruction(old);
        Assert.That((voided.Json["type"]!.GetValue<string>(), voided.Json["reason"]?.GetValue<string>()), Is.EqualTo(("payment.void", VoidReason.ChargingNotStarted)),
            "voided as soon as its car left, well within the 120 s start bound");
        var events = await GroupEvents(Deployment.GroupIdOf(RebootCarLeft));
        Assert.That(events.OfType<ChargingStartRequested>().Where(s => s.PaymentId == old).Select(s => s.ConnectorId), Is.EqualTo(new[] { 1 }),
            "the lost start's payment never took the car at connector 2");

        // A new car at connector 1 and its driver's payment: the two waiting cars are served in order of plug-in, both by the new payment's start.
        await Status(back, 1, "Preparing");
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(next, Deployment.TerminalIdOf(RebootCarLeft)));
        var nextStart = await back.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That((nextStart[3]!["connectorId"]!.GetValue<int>(), nextStart[3]!["idTag"]!.GetValue<string>()), Is.EqualTo((2, Deployment.IdTagOf(next))),
            "the new payment starts the earliest waiting car, at connector 2");
        await back.Answer(nextStart, new JsonObject { ["status"] = "Accepted" });
        var start = await back.Call("StartTransaction", new JsonObject { ["connectorId"] = 2, ["idTag"] = Deployment.IdTagOf(next), ["meterStart"] = 1000, ["timestamp"] = Now() });
        Assert.That(start[2]!["idTagInfo"]!["status"]!.GetValue<string>(), Is.EqualTo("Accepted"));
        await back.Call("StopTransaction", new JsonObject { ["transactionId"] = start[2]!["transactionId"]!.GetValue<int>(), ["meterStop"] = 2000, ["timestamp"] = Now() });
        var captured = await Instruction(next);
        Assert.That((captured.Json["type"]!.GetValue<string>(), captured.Json["amount"]!["value"]!.GetValue<long>()), Is.EqualTo(("payment.capture", 45L)), "1,000 Wh at 45 per kWh, paid by its own driver");
        await AssertNoSecondInstructions([(RebootCarLeft, old), (RebootCarLeft, next)]);
    }

    [Test]
    public async Task A_connector_that_faults_before_charging_moves_the_payment_to_the_next_candidate()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(Fault));
        await Status(station, 1, "Preparing");
        await Status(station, 2, "Preparing");
        var paymentId = $"pay_fault_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(Fault)));
        var first = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That(first[3]!["connectorId"]!.GetValue<int>(), Is.EqualTo(1), "the earliest occupied first");
        await station.Answer(first, new JsonObject { ["status"] = "Accepted" });
        await Status(station, 1, "Faulted");
        var next = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That((next[3]!["connectorId"]!.GetValue<int>(), next[3]!["idTag"]!.GetValue<string>()), Is.EqualTo((2, Deployment.IdTagOf(paymentId))));
        await station.Answer(next, new JsonObject { ["status"] = "Accepted" });
    }

    /// <summary>
    /// Fault 2 of the lifecycle issue: the station reports the unplug and the next car's Preparing before the previous
    /// session's StopTransaction, within milliseconds, on several stations at once, twenty times over. Each next payment
    /// must start on that connector.
    /// </summary>
    [Test]
    public async Task A_replug_reported_before_the_previous_sessions_stop_is_never_lost()
    {
        var stations = new List<StationSimulator>();
        try
        {
            for (var g = 0; g < ReplugGroups; g++)
                stations.Add(await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(ReplugFirst + g)));
            await Task.WhenAll(stations.Select((s, g) => Replug(s, ReplugFirst + g, Rounds)));
        }
        finally
        {
            foreach (var station in stations)
                await station.DisposeAsync();
        }
        var payments = Enumerable.Range(ReplugFirst, ReplugGroups).SelectMany(g => Enumerable.Range(0, Rounds).Select(round => (g, ReplugPayment(g, round)))).ToList();
        foreach (var (_, paymentId) in payments)
        {
            var instruction = await Instruction(paymentId);
            Assert.That((instruction.Json["type"]!.GetValue<string>(), instruction.Json["amount"]?["value"]?.GetValue<long>()), Is.EqualTo(("payment.capture", (long?)45)), $"{paymentId}: 1,000 Wh at 45 per kWh");
        }
        await AssertNoSecondInstructions(payments);
    }

    private const int Rounds = 20;

    private string ReplugPayment(int group, int round) => $"pay_replug_{group}_{round}_{Deployment.RunId}";

    private async Task Replug(StationSimulator station, int group, int rounds)
    {
        await Status(station, 1, "Preparing");
        int? previous = null;
        for (var round = 0; round < rounds; round++)
        {
            var paymentId = ReplugPayment(group, round);
            await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(group)));
            if (previous is { } transaction)
                await station.Call("StopTransaction", new JsonObject { ["transactionId"] = transaction, ["meterStop"] = 2000, ["timestamp"] = Now() });
            var remoteStart = await station.NextCallFromGateway(TimeSpan.FromSeconds(30));
            Assert.That(remoteStart[3]!["idTag"]!.GetValue<string>(), Is.EqualTo(Deployment.IdTagOf(paymentId)), $"group {group} round {round}: the re-plugged connector takes the next payment");
            await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
            var start = await station.Call("StartTransaction", new JsonObject { ["connectorId"] = 1, ["idTag"] = Deployment.IdTagOf(paymentId), ["meterStart"] = 1000, ["timestamp"] = Now() });
            previous = start[2]!["transactionId"]!.GetValue<int>();
            await Status(station, 1, "Charging");
            // Unplugged and the next car plugged in, reported before the session's StopTransaction.
            await Status(station, 1, "Finishing");
            await Status(station, 1, "Available");
            await Status(station, 1, "Preparing");
        }
        await station.Call("StopTransaction", new JsonObject { ["transactionId"] = previous!.Value, ["meterStop"] = 2000, ["timestamp"] = Now() });
    }
}
