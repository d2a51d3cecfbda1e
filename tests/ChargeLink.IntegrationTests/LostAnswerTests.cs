using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Serilog.Events;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// A station whose StartTransaction was answered but never heard the answer resends it, as OCPP 1.6 stations do with
/// transaction messages: after a reconnect, after a reboot (BootNotification first), to a gateway that restarted in
/// between, or under a new message id. Each time it must get the transaction id of the first answer, so that its
/// StopTransaction settles the payment. And a gateway that restarted must not send a remote start a second time.
/// </summary>
[TestFixture]
public sealed class LostAnswerTests : SystemFixture
{
    // One group per test: leftovers of one test never serve another.
    protected override int Groups => 6;

    // The ledger's clean-up test sends a few hundred StartTransactions at once: not a test of the flood guard.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_GATEWAY_FRAMES_PER_SECOND"] = "100000",
        ["CHARGELINK_GATEWAY_FRAME_BURST"] = "100000",
    };

    private const int BootThenResend = 0, GatewayRestarted = 1, NewMessageId = 2, StartRepeated = 3, SameIdOtherCall = 4, LeftMidStart = 5;
    private const int Connector = 1;

    /// <summary>
    /// The soak found it: a station that leaves while its RemoteStartTransaction waits for an answer. The gateway's call
    /// ends with the connection; the group hears "no answer" at once (not after its own 60 s bound), and the payment
    /// waits for the next candidate. Before, the command faulted and the group heard nothing until its bound.
    /// </summary>
    [Test]
    public async Task A_station_that_leaves_before_answering_a_remote_start_is_heard_as_not_answered_at_once()
    {
        var paymentId = $"pay_leftmid_{Deployment.RunId}";
        var station = await AStationWithAnOccupiedConnector(LeftMidStart, Connector);
        await APaymentAskedToStart(station, LeftMidStart, paymentId);
        await station.DisposeAsync();

        await Eventually.True(
            async () => (await GroupEvents(Deployment.GroupIdOf(LeftMidStart))).OfType<RemoteStartFailed>()
                .Any(f => f.PaymentId == paymentId && f.Outcome == RemoteStartOutcome.TimedOut),
            TimeSpan.FromSeconds(10),
            "the start counted as unanswered well within the group's 60 s bound and the gateway's 30 s call timeout");
    }

    [Test]
    public async Task A_StartTransaction_resent_after_a_BootNotification_gets_the_same_transaction_and_the_payment_is_captured()
    {
        var (paymentId, idTag, payload, station) = await AcceptedStart(BootThenResend, Deployment.GatewayUrl);
        var first = await station.Call("st-1", "StartTransaction", payload);
        await station.DisposeAsync();

        await using var rebooted = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(BootThenResend));
        await rebooted.Call("BootNotification", new JsonObject { ["chargePointVendor"] = "Test", ["chargePointModel"] = "Lost answer" });
        await rebooted.Call("StatusNotification", Status("Charging"));
        var resent = await rebooted.Call("st-1", "StartTransaction", payload);

        await AssertSameTransactionAndCaptured(BootThenResend, paymentId, first, resent, rebooted);
    }

    [Test]
    public async Task A_StartTransaction_resent_to_a_gateway_that_restarted_gets_the_same_transaction_and_the_payment_is_captured()
    {
        var doomed = await Deployment.StartGateway();
        var (paymentId, _, payload, station) = await AcceptedStart(GatewayRestarted, doomed);
        var first = await station.Call("st-1", "StartTransaction", payload);
        // The gateway dies with the answer sent: whatever it remembered is gone.
        await Deployment.StopGateway(doomed);
        await station.DisposeAsync();

        await using var reconnected = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(GatewayRestarted));
        var resent = await reconnected.Call("st-1", "StartTransaction", payload);

        await AssertSameTransactionAndCaptured(GatewayRestarted, paymentId, first, resent, reconnected);
    }

    [Test]
    public async Task A_StartTransaction_resent_under_a_new_message_id_gets_the_same_transaction_and_the_payment_is_captured()
    {
        var (paymentId, _, payload, station) = await AcceptedStart(NewMessageId, Deployment.GatewayUrl);
        await using var _ = station;
        var first = await station.Call("st-1", "StartTransaction", payload);
        var resent = await station.Call("st-1-again", "StartTransaction", payload);

        await AssertSameTransactionAndCaptured(NewMessageId, paymentId, first, resent, station);
    }

    [Test]
    public async Task A_different_StartTransaction_gets_a_transaction_of_its_own()
    {
        // The other side of the rule: a second real transaction (another meterStart) is not taken for a resend.
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(SameIdOtherCall));
        var payload = new JsonObject { ["connectorId"] = 2, ["idTag"] = "RFID-1", ["meterStart"] = 100, ["timestamp"] = Now() };
        var first = await station.Call("StartTransaction", payload);
        payload["meterStart"] = 200;
        var second = await station.Call("StartTransaction", payload);
        Assert.That(TransactionOf(second), Is.Not.EqualTo(TransactionOf(first)));
    }

    [Test]
    public async Task The_transaction_ledger_answers_past_its_periodic_clean_up()
    {
        // The ledger forgets old transactions every 100 records; the 100th must be answered like the others.
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(SameIdOtherCall));
        var ids = new HashSet<int>();
        for (var meter = 0; meter < 2 * Gateway.Durable.TransactionIds.BlockSize + 1; meter++)
            ids.Add(TransactionOf(await station.Call("StartTransaction", new JsonObject { ["connectorId"] = 3, ["idTag"] = "RFID-MANY", ["meterStart"] = meter, ["timestamp"] = Now() })));
        Assert.That(ids, Has.Count.EqualTo(2 * Gateway.Durable.TransactionIds.BlockSize + 1));
    }

    [Test]
    public async Task A_gateway_that_restarted_does_not_send_the_same_remote_start_again()
    {
        var doomed = await Deployment.StartGateway();
        await using var station = await AStationWithAnOccupiedConnector(StartRepeated, Connector, doomed);
        var paymentId = $"pay_once_{Deployment.RunId}";
        var remoteStart = await APaymentAskedToStart(station, StartRepeated, paymentId);
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
        await station.DisposeAsync();
        await using var moved = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(StartRepeated));
        await Deployment.StopGateway(doomed);

        // A relay copy of the command (what the relay sends when no one on its instance saw the first one confirmed, e.g.
        // after the owner died) reaches the gateway that now holds the station: it must know the command was acted on.
        await RedeliverStartCommand(Deployment.GroupIdOf(StartRepeated), paymentId);
        var second = moved.NextCallFromGateway(TimeSpan.FromSeconds(20));
        var dropped = Eventually.True(() => Task.FromResult(Deployment.Logs.Events.Any(e =>
            e.Level == LogEventLevel.Information && IsDroppedRepeat(e)
            // Dropped by the consumer's ledger (the first copy this gateway sees) or by the repeat filter (a later one).
            && (LogCapture.Property(e, "PaymentId") == paymentId || LogCapture.Property(e, "Subject") == $"payment {paymentId}"))),
            TimeSpan.FromSeconds(20), "the relay's copy of the StartCharging was recognised and dropped");
        var first = await Task.WhenAny(second, dropped);
        if (first == second && second.IsCompletedSuccessfully)
            Assert.Fail($"the station received a second {second.Result[2]} for payment {paymentId}: {second.Result.ToJsonString()}");
        await dropped;
    }

    /// <summary>Sends the StartCharging of a payment's start decision again, with its message id, as the relay would.</summary>
    private async Task RedeliverStartCommand(string groupId, string paymentId)
    {
        var decision = (await GroupEvents(groupId)).OfType<ChargingStartRequested>().Single(s => s.PaymentId == paymentId);
        var command = Orchestrator.Delivering.GroupCommands.For(groupId, decision)!;
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(RealServices.Inside) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new RabbitMQ.Client.CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new RabbitMQ.Client.BasicProperties { ContentType = MassTransitEnvelope.ContentType, MessageId = command.MessageId.ToString(), Persistent = true };
        await channel.BasicPublishAsync(Contracts.StationCommandExchange.Exchange, command.Station!, mandatory: true, properties, MassTransitEnvelope.Of((Contracts.StartCharging)command.Message, command.MessageId));
    }

    private async Task<(string PaymentId, string IdTag, JsonObject StartPayload, StationSimulator Station)> AcceptedStart(int group, Uri gateway)
    {
        var station = await AStationWithAnOccupiedConnector(group, Connector, gateway);
        var paymentId = $"pay_lost_{group}_{Deployment.RunId}";
        var remoteStart = await APaymentAskedToStart(station, group, paymentId, amountMinor: 5000);
        var idTag = remoteStart[3]!["idTag"]!.GetValue<string>();
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
        var payload = new JsonObject { ["connectorId"] = Connector, ["idTag"] = idTag, ["meterStart"] = 1000, ["timestamp"] = Now() };
        return (paymentId, idTag, payload, station);
    }

    private async Task AssertSameTransactionAndCaptured(int group, string paymentId, JsonArray first, JsonArray resent, StationSimulator station)
    {
        Assert.That(TransactionOf(resent), Is.EqualTo(TransactionOf(first)), $"the resend was answered {resent.ToJsonString()}, the first {first.ToJsonString()}");
        Assert.That(resent[2]!["idTagInfo"]!["status"]!.GetValue<string>(), Is.EqualTo("Accepted"), "the payment's idTag is still accepted");
        await station.Call("StopTransaction", new JsonObject { ["transactionId"] = TransactionOf(resent), ["meterStop"] = 1000 + 27_420, ["timestamp"] = Now() });

        // Settled where it is decided: one capture in the group's stream, for 27,420 Wh x 45 = 1,233.9 -> 1,234.
        var capture = await Eventually.Get(async () => (await GroupEvents(Deployment.GroupIdOf(group))).OfType<PaymentCaptureRequested>().FirstOrDefault(c => c.PaymentId == paymentId),
            TimeSpan.FromSeconds(15), $"a capture of {paymentId}");
        var events = await GroupEvents(Deployment.GroupIdOf(group));
        Assert.Multiple(() =>
        {
            Assert.That(capture.AmountMinor, Is.EqualTo(1234));
            Assert.That(events.OfType<ChargingStarted>().Count(e => e.PaymentId == paymentId), Is.EqualTo(1), "charging started once");
            Assert.That(events.Count(e => e is PaymentCaptureRequested c && c.PaymentId == paymentId || e is PaymentVoidRequested v && v.PaymentId == paymentId), Is.EqualTo(1), "one settlement");
        });
    }

    private static int TransactionOf(JsonArray answer) =>
        answer[0]!.GetValue<int>() == 3 ? answer[2]!["transactionId"]!.GetValue<int>() : throw new AssertionException($"not a CALLRESULT: {answer.ToJsonString()}");

    private static JsonObject Status(string status) => new() { ["connectorId"] = Connector, ["errorCode"] = "NoError", ["status"] = status };

    // The gateway logs a repeated StartCharging it drops: the process's own memory of ids, or the command ledger.
    private static bool IsDroppedRepeat(Serilog.Events.LogEvent e) =>
        e.MessageTemplate.Text.StartsWith("{CommandType} {MessageId}", StringComparison.Ordinal) && LogCapture.Property(e, "CommandType") == "StartCharging";
}
