using System.Text;
using System.Text.Json.Nodes;
using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using RabbitMQ.Client;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Whole sessions through the real services: every authorized payment ends in exactly one capture or one void
/// on payment-cloud.instructions. Short bounds make the timeouts testable.
/// </summary>
[TestFixture]
public sealed class SessionLifecycleTests : SystemFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_PAYMENT_WAIT_SECONDS"] = "2",
        ["CHARGELINK_REMOTE_START_TIMEOUT_SECONDS"] = "2",
        ["CHARGELINK_TRANSACTION_START_TIMEOUT_SECONDS"] = "2",
    };

    // Each test has a station group of its own, so one test's leftovers (a candidate, a waiting payment) never
    // serve another, whatever order the tests run in.
    protected override int Groups => 8;

    private const int WholeSession = 0, NoConnector = 1, Restart = 2, Cancelled = 3, Rejected = 4, CancelledLate = 5, Redelivered = 6, BrokerOutage = 7;

    [Test]
    public async Task A_whole_session_ends_in_one_capture_of_energy_times_tariff()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(WholeSession));
        const int connector = 1;
        await PlugIn(station, connector);
        var paymentId = $"pay_session_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(WholeSession), amountMinor: 5000));

        var remoteStart = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        var idTag = remoteStart[3]!["idTag"]!.GetValue<string>();
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
        var start = await station.Call("StartTransaction", new JsonObject { ["connectorId"] = connector, ["idTag"] = idTag, ["meterStart"] = 1000, ["timestamp"] = Now() });
        var transactionId = start[2]!["transactionId"]!.GetValue<int>();
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(WholeSession))).OfType<ChargingStarted>().Any(c => c.PaymentId == paymentId), TimeSpan.FromSeconds(10), "charging recorded");
        await station.Call("StopTransaction", new JsonObject { ["transactionId"] = transactionId, ["meterStop"] = 1000 + 27_420, ["timestamp"] = Now() });

        var instruction = await Instruction(paymentId);
        Assert.Multiple(() =>
        {
            // 27,420 Wh x 45 minor units per kWh = 1,233.9 -> 1,234
            Assert.That(instruction.Json["type"]!.GetValue<string>(), Is.EqualTo("payment.capture"));
            Assert.That(instruction.Json["amount"]!["value"]!.GetValue<long>(), Is.EqualTo(1234));
            Assert.That(instruction.Json["amount"]!["currency"]!.GetValue<string>(), Is.EqualTo("EUR"));
            Assert.That(instruction.Json["energyWh"]!.GetValue<long>(), Is.EqualTo(27_420));
            Assert.That(instruction.MessageId, Is.EqualTo($"{paymentId}:payment.capture"));
            Assert.That(instruction.Signed, Is.True);
        });
        await AssertNoSecondInstruction(WholeSession, paymentId);
    }

    [Test]
    public async Task A_payment_that_finds_no_occupied_connector_is_voided_after_the_wait()
    {
        var paymentId = $"pay_alone_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(NoConnector)));
        var instruction = await Instruction(paymentId);
        Assert.That((instruction.Json["type"]!.GetValue<string>(), instruction.Json["reason"]!.GetValue<string>()), Is.EqualTo(("payment.void", VoidReason.NoConnectorOccupied)));
        await AssertNoSecondInstruction(NoConnector, paymentId);
    }

    [Test]
    public async Task A_waiting_payments_deadline_survives_an_orchestrator_restart()
    {
        var paymentId = $"pay_restart_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(Restart)));
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Restart))).OfType<PaymentAuthorizationReceived>().Any(p => p.PaymentId == paymentId), TimeSpan.FromSeconds(10), "the payment waits");

        // The deadline falls while no orchestrator runs; the one started afterwards still voids the payment.
        await Deployment.StopOrchestrator(Deployment.Orchestrators.Single());
        // The payment's wait (CHARGELINK_PAYMENT_WAIT_SECONDS, 2 s here) runs out while no orchestrator runs.
        await Task.Delay(TimeSpan.FromSeconds(double.Parse(Settings["CHARGELINK_PAYMENT_WAIT_SECONDS"]!, System.Globalization.CultureInfo.InvariantCulture) + 1));
        await Deployment.StartOrchestrator();

        var instruction = await Instruction(paymentId);
        Assert.That((instruction.Json["type"]!.GetValue<string>(), instruction.Json["reason"]!.GetValue<string>()), Is.EqualTo(("payment.void", VoidReason.NoConnectorOccupied)));
        await AssertNoSecondInstruction(Restart, paymentId);
    }

    [Test]
    public async Task A_cancelled_payment_is_dropped_without_any_instruction()
    {
        var paymentId = $"pay_cancel_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(Cancelled)));
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Cancelled))).OfType<PaymentAuthorizationReceived>().Any(p => p.PaymentId == paymentId), TimeSpan.FromSeconds(10), "the payment waits");
        await Cloud.PublishAuthorization(Encoding.UTF8.GetBytes($$"""{"type":"payment.cancelled","paymentId":"{{paymentId}}"}"""), paymentId);
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Cancelled))).OfType<PaymentCancelled>().Any(p => p.PaymentId == paymentId), TimeSpan.FromSeconds(10), "the cancellation reached the group");
        await AssertNoSecondInstruction(Cancelled, paymentId, expected: 0);
    }

    [Test]
    public async Task A_station_that_starts_for_a_payment_cancelled_after_the_start_request_is_asked_to_stop()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(CancelledLate));
        await PlugIn(station, 1);
        var paymentId = $"pay_late_cancel_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(CancelledLate)));
        var remoteStart = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });

        // The driver cancels at the terminal just after the station was told to start...
        await Cloud.PublishAuthorization(Encoding.UTF8.GetBytes($$"""{"type":"payment.cancelled","paymentId":"{{paymentId}}"}"""), paymentId);
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(CancelledLate))).OfType<PaymentCancelled>().Any(), TimeSpan.FromSeconds(10), "the cancellation reached the group");
        // ...and the station starts anyway: it is asked to stop, and nobody is charged.
        var start = await station.Call("StartTransaction", new JsonObject { ["connectorId"] = 1, ["idTag"] = remoteStart[3]!["idTag"]!.GetValue<string>(), ["meterStart"] = 0, ["timestamp"] = Now() });
        var transactionId = start[2]!["transactionId"]!.GetValue<int>();
        var remoteStop = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That((remoteStop[2]!.GetValue<string>(), remoteStop[3]!["transactionId"]!.GetValue<int>()), Is.EqualTo(("RemoteStopTransaction", transactionId)));
        await station.Answer(remoteStop, new JsonObject { ["status"] = "Accepted" });
        await AssertNoSecondInstruction(CancelledLate, paymentId, expected: 0);
    }

    [Test]
    public async Task A_rejected_start_moves_to_the_next_connector_and_an_unstarted_session_is_voided()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(Rejected));
        const int first = 1, second = 2;
        await PlugIn(station, first);
        await PlugIn(station, second);
        // Both must be candidates before the payment comes: the saga's queue does not keep the order of the two sources.
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Rejected))).OfType<ConnectorOccupied>().Count() == 2, TimeSpan.FromSeconds(10), "both connectors wait");
        var paymentId = $"pay_reject_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(Rejected)));

        var refused = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That(refused[3]!["connectorId"]!.GetValue<int>(), Is.EqualTo(first), "the earliest-occupied connector first");
        await station.Answer(refused, new JsonObject { ["status"] = "Rejected" });
        var retried = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That(retried[3]!["connectorId"]!.GetValue<int>(), Is.EqualTo(second), "then the next candidate");
        await station.Answer(retried, new JsonObject { ["status"] = "Accepted" });

        // Accepted, but the station never sends StartTransaction: voided when the bound passes.
        var instruction = await Instruction(paymentId);
        Assert.That((instruction.Json["type"]!.GetValue<string>(), instruction.Json["reason"]!.GetValue<string>()), Is.EqualTo(("payment.void", VoidReason.ChargingNotStarted)));
        await AssertNoSecondInstruction(Rejected, paymentId);
    }

    private static async Task PlugIn(StationSimulator station, int connector)
    {
        var answer = await station.Call("StatusNotification", new JsonObject { ["connectorId"] = connector, ["errorCode"] = "NoError", ["status"] = "Preparing" });
        Assert.That(answer[0]!.GetValue<int>(), Is.EqualTo(3), answer.ToJsonString());
    }

    [Test]
    public async Task The_same_authorization_delivered_three_times_is_one_payment_with_one_instruction()
    {
        var paymentId = $"pay_thrice_{Deployment.RunId}";
        var body = Encoding.UTF8.GetBytes(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(Redelivered)).ToJsonString());
        for (var i = 0; i < 3; i++)
            await Cloud.PublishAuthorization(body, paymentId);
        // All three pass the adapter (each one is valid); the group must see one payment.
        await Eventually.True(() => Task.FromResult(Deployment.Logs.Events.Count(e =>
                e.MessageTemplate.Text.StartsWith("Payment {PaymentId} of {AmountMinor}", StringComparison.Ordinal) && LogCapture.Property(e, "PaymentId") == paymentId) == 3),
            TimeSpan.FromSeconds(10), "the adapter passed all three deliveries on");

        var instruction = await Instruction(paymentId);
        Assert.That((instruction.Json["type"]!.GetValue<string>(), instruction.Json["reason"]!.GetValue<string>()), Is.EqualTo(("payment.void", VoidReason.NoConnectorOccupied)));
        await AssertNoSecondInstruction(Redelivered, paymentId);
        Assert.That((await GroupEvents(Deployment.GroupIdOf(Redelivered))).OfType<PaymentAuthorizationReceived>().Count(p => p.PaymentId == paymentId), Is.EqualTo(1));
    }

    [Test]
    public async Task Instructions_that_fall_due_while_the_broker_is_down_are_all_delivered_once_it_is_back()
    {
        var payments = Enumerable.Range(1, 5).Select(i => $"pay_outage_{Deployment.RunId}_{i}").ToList();
        foreach (var paymentId in payments)
            await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(BrokerOutage)));
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(BrokerOutage))).OfType<PaymentAuthorizationReceived>().Count() == payments.Count,
            TimeSpan.FromSeconds(15), "the five payments wait");

        // Their 2 s wait ends while RabbitMQ is stopped: the voids are decided, and must survive the outage.
        var outageBegan = DateTimeOffset.UtcNow;
        await RealServices.RabbitMqCtl("stop_app");
        DateTimeOffset outageEnded;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            outageEnded = DateTimeOffset.UtcNow;
            await RealServices.RabbitMqCtl("start_app");
        }

        foreach (var paymentId in payments)
        {
            var instruction = await Instruction(paymentId, TimeSpan.FromSeconds(90));
            Assert.That((instruction.Json["type"]!.GetValue<string>(), instruction.Json["reason"]!.GetValue<string>()), Is.EqualTo(("payment.void", VoidReason.NoConnectorOccupied)), paymentId);
            Assert.That(instruction.Signed, Is.True);
        }
        await Task.Delay(Quiet.AfterRepublish);
        await DrainInstructions();
        Assert.That(payments.Select(p => Instructions.Count(i => i.Json["paymentId"]?.GetValue<string>() == p)), Is.All.EqualTo(1), "one instruction per payment");
        // What makes this an outage test: every void fell due before the broker was back, and none was decided before it went.
        var events = await GroupEvents(Deployment.GroupIdOf(BrokerOutage));
        foreach (var received in events.OfType<PaymentAuthorizationReceived>())
            Assert.That(received.ReceivedAt + TimeSpan.FromSeconds(2), Is.LessThan(outageEnded), $"{received.PaymentId} fell due during the outage");
        Assert.That(events.OfType<PaymentVoidRequested>().Select(v => v.At), Is.All.GreaterThanOrEqualTo(outageBegan), "no void was decided before the broker went down");
    }
}
