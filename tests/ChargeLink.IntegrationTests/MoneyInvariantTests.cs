using System.Text;
using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.ServiceDefaults;
using ChargeLink.Simulators;
using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;
using Serilog.Events;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Rule 8, the money invariant, tried the attacker's way through the real services: a hostile station on profile 0, a
/// station with its own password, a payment cloud's message in another currency or above the maximum hold, and a capture
/// forged with the orchestrator's own broker account. Each ends in the right instruction or in a refusal that says why.
/// </summary>
[TestFixture]
public sealed class MoneyInvariantTests : SystemFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_SESSION_MAX_SECONDS"] = "3",
        ["CHARGELINK_SESSION_STOP_GRACE_SECONDS"] = "3",
        ["CHARGELINK_PAYMENT_WAIT_SECONDS"] = "6",
        ["CHARGELINK_PAYMENT_MAX_HOLD_MINOR"] = "20000",
    };

    private const string SettlementsDeadLetter = "chargelink.payment-adapter.settlements_error";

    // Fault 1: meterStart -2^31 and a register of 2^63-1 once made the overdue path sign a capture of -4.15e17 EUR.
    [Test]
    public async Task Hostile_readings_on_a_session_that_never_stops_end_in_a_void_never_in_a_capture()
    {
        await using var station = await AStationWithAnOccupiedConnector();
        var paymentId = $"pay_hostile_{Deployment.RunId}";
        var remoteStart = await APaymentAskedToStart(station, 0, paymentId, amountMinor: 5000);
        Assert.That(remoteStart[3]!["connectorId"]!.GetValue<int>(), Is.EqualTo(1), $"the only occupied connector: {remoteStart.ToJsonString()}");
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
        var idTag = remoteStart[3]!["idTag"]!.GetValue<string>();

        var negative = await station.Call("StartTransaction", new JsonObject { ["connectorId"] = 1, ["idTag"] = idTag, ["meterStart"] = int.MinValue, ["timestamp"] = Now() });
        Assert.That((negative[0]!.GetValue<int>(), negative[2]!.GetValue<string>()), Is.EqualTo((4, "PropertyConstraintViolation")), $"a negative register is refused where it enters: {negative.ToJsonString()}");

        var started = await station.Call("StartTransaction", new JsonObject { ["connectorId"] = 1, ["idTag"] = idTag, ["meterStart"] = 1000, ["timestamp"] = Now() });
        var transactionId = started[2]!["transactionId"]!.GetValue<int>();
        await Eventually.True(async () => (await GroupEvents()).OfType<ChargingStarted>().Any(c => c.PaymentId == paymentId), TimeSpan.FromSeconds(10), "charging");
        // 2^63-1 Wh is no register: dropped at the gateway. 90 GWh is one, but not within seconds of 1,000 Wh.
        foreach (var wh in new[] { long.MaxValue, 90_000_000_000L })
        {
            var answer = await station.Call("MeterValues", new JsonObject
            {
                ["connectorId"] = 1,
                ["transactionId"] = transactionId,
                ["meterValue"] = new JsonArray(new JsonObject { ["timestamp"] = Now(), ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = wh.ToString(System.Globalization.CultureInfo.InvariantCulture) }) }),
            });
            Assert.That(answer[0]!.GetValue<int>(), Is.EqualTo(3), answer.ToJsonString());
        }
        await Eventually.True(async () => (await GroupEvents()).OfType<MeterReadingNoted>().Any(m => m.PaymentId == paymentId), TimeSpan.FromSeconds(10), "the plausible register is kept");
        Assert.That((await GroupEvents()).OfType<MeterReadingNoted>().Where(m => m.PaymentId == paymentId).Select(m => m.MeterWh), Is.EqualTo(new[] { 90_000_000_000L }), "2^63-1 never reached the group");

        // Past the bound the station is asked to stop; it never reports the stop; past the grace the session is settled.
        var remoteStop = await station.NextCallFromGateway(TimeSpan.FromSeconds(20));
        Assert.That(remoteStop[2]!.GetValue<string>(), Is.EqualTo("RemoteStopTransaction"));
        await station.Answer(remoteStop, new JsonObject { ["status"] = "Accepted" });
        var instruction = await Instruction(paymentId, TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(instruction.Json["type"]!.GetValue<string>(), Is.EqualTo("payment.void"), instruction.Json.ToJsonString());
            Assert.That(instruction.Json["reason"]?.GetValue<string>(), Is.EqualTo(VoidReason.MeterImplausible));
            Assert.That(instruction.Signed, Is.True);
        });
        await AssertNoSecondInstruction(0, paymentId);
    }

    // Fault 2: another station, on a connector not in the topology, with the payment's idTag, once took the payment's
    // session and captured the whole hold.
    [Test]
    public async Task A_payments_idTag_on_a_station_that_was_not_asked_starts_no_session_and_moves_no_money()
    {
        await using var asked = await AStationWithAnOccupiedConnector(0, 2);
        var paymentId = $"pay_foreign_{Deployment.RunId}";
        var remoteStart = await APaymentAskedToStart(asked, 0, paymentId, amountMinor: 5000);
        Assert.That(remoteStart[3]!["connectorId"]!.GetValue<int>(), Is.EqualTo(2));
        await asked.Answer(remoteStart, new JsonObject { ["status"] = "Rejected" });
        await Eventually.True(async () => (await GroupEvents()).OfType<RemoteStartFailed>().Any(f => f.PaymentId == paymentId), TimeSpan.FromSeconds(10), "the start is refused");

        // The attacker's own station (its own password), which even knows the tag, on connector 7 it does not have.
        await using var attacker = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.SecuredChargePointId, password: Deployment.SecuredPassword);
        var start = await attacker.Call("StartTransaction", new JsonObject { ["connectorId"] = 7, ["idTag"] = Deployment.IdTagOf(paymentId), ["meterStart"] = 0, ["timestamp"] = Now() });
        Assert.That(start[0]!.GetValue<int>(), Is.EqualTo(3), start.ToJsonString());
        Assert.That(start[2]!["idTagInfo"]!["status"]!.GetValue<string>(), Is.EqualTo("Invalid"), "the tag is not this station's");
        var transactionId = start[2]!["transactionId"]!.GetValue<int>();
        await attacker.Call("StopTransaction", new JsonObject { ["transactionId"] = transactionId, ["meterStop"] = 100_000_000, ["timestamp"] = Now() });

        var instruction = await Instruction(paymentId, TimeSpan.FromSeconds(30));
        Assert.That((instruction.Json["type"]!.GetValue<string>(), instruction.Json["reason"]?.GetValue<string>()), Is.EqualTo(("payment.void", VoidReason.StationRejected)), instruction.Json.ToJsonString());
        var events = await GroupEvents();
        Assert.Multiple(() =>
        {
            Assert.That(events.OfType<RemoteStartConfirmedLate>().Where(e => e.PaymentId == paymentId), Is.Empty, "no late confirmation from a station never asked");
            Assert.That(events.OfType<ChargingStarted>().Where(e => e.PaymentId == paymentId), Is.Empty, "no session");
        });
        await AssertNoSecondInstruction(0, paymentId);
        await Status(asked, 2, "Available");
    }

    // Fault 5: a payment held in JPY at a site priced in EUR was once captured as the EUR cents figure in JPY.
    [TestCase("JPY", 5000L, VoidReason.CurrencyNotAccepted, "amount.currency", TestName = "A payment in another currency than the site tariff's is dead-lettered and voided")]
    // Fault 6: 2^63-1 minor units were accepted as a hold.
    [TestCase("EUR", long.MaxValue, VoidReason.HoldAboveMaximum, "maximum hold", TestName = "A hold above the maximum is dead-lettered and voided")]
    public async Task A_hold_that_can_never_be_captured_is_refused_at_the_door(string currency, long amount, string reason, string said)
    {
        var paymentId = $"pay_door_{currency}_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, amountMinor: amount, currency: currency));

        var instruction = await Instruction(paymentId);
        Assert.That((instruction.Json["type"]!.GetValue<string>(), instruction.Json["reason"]?.GetValue<string>()), Is.EqualTo(("payment.void", reason)), instruction.Json.ToJsonString());
        var dead = await TakeFrom(Cloud, PaymentCloudQueues.AuthorizationsDeadLetter, paymentId);
        Assert.That(Header(dead, "MT-Fault-Message"), Does.Contain(said).And.Contain(reason));
        Assert.That((await GroupEvents()).OfType<PaymentAuthorizationReceived>().Where(p => p.PaymentId == paymentId), Is.Empty, "the group never hears of it");
        await Task.Delay(Quiet.AfterRepublish);
        await DrainInstructions();
        Assert.That(Instructions.Count(i => i.Json["paymentId"]?.GetValue<string>() == paymentId), Is.EqualTo(1), "one void, nothing else");
    }

    // Fault 6: a CapturePayment published on the internal bus with the orchestrator's own account once went out signed.
    [Test]
    public async Task A_capture_forged_with_the_orchestrators_account_is_not_signed_and_is_kept_with_the_reason()
    {
        var before = await Refused(MoneyCheck.Refusal.NotAuthorized);
        var neverAuthorized = $"pay_forged_capture_{Deployment.RunId}";
        await PublishAsOrchestrator(new CapturePayment(Deployment.GroupId, neverAuthorized, 999_999, "EUR", 10_000, "CP-x-1-1"), "capture-payment");

        await using var inside = new PaymentCloudSimulator(RealServices.Inside, Deployment.PaymentSecret);
        var dead = await TakeFrom(inside, SettlementsDeadLetter, neverAuthorized);
        Assert.That(Header(dead, "MT-Fault-Message"), Does.Contain(MoneyCheck.Refusal.NotAuthorized));
        Assert.That(await Refused(MoneyCheck.Refusal.NotAuthorized), Is.EqualTo(before + 1), "counted on /metrics");
        Assert.That(Deployment.Logs.Events.Any(e => e.Level == LogEventLevel.Error && LogCapture.Property(e, "PaymentId") == neverAuthorized), "logged at Error");

        // A real payment, waiting: a forged capture above its hold is refused, and its own void still goes out.
        var waiting = $"pay_forged_above_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(waiting, Deployment.TerminalId, amountMinor: 5000));
        await Eventually.True(async () => (await GroupEvents()).OfType<PaymentAuthorizationReceived>().Any(p => p.PaymentId == waiting), TimeSpan.FromSeconds(10), "the payment waits");
        await PublishAsOrchestrator(new CapturePayment(Deployment.GroupId, waiting, 5001, "EUR", 10_000, "CP-x-1-2"), "capture-payment");
        var above = await TakeFrom(inside, SettlementsDeadLetter, waiting);
        Assert.That(Header(above, "MT-Fault-Message"), Does.Contain(MoneyCheck.Refusal.AmountOutOfRange));
        var instruction = await Instruction(waiting, TimeSpan.FromSeconds(30));
        Assert.That((instruction.Json["type"]!.GetValue<string>(), instruction.Json["reason"]?.GetValue<string>()), Is.EqualTo(("payment.void", VoidReason.NoConnectorOccupied)), instruction.Json.ToJsonString());
        Assert.That(Instructions.Where(i => i.Json["paymentId"]?.GetValue<string>() == neverAuthorized), Is.Empty, "the forged capture was never sent");
    }

    // An authorization that reached its group past the retention period (an outage held it) is asked to be voided
    // unless it has its instruction: the group cannot tell a late payment from one it settled and forgot; the adapter's
    // ledger can. A late one's hold is released; a settled one's instruction stands, and nothing is refused or kept.
    [Test]
    public async Task A_void_unless_settled_releases_a_payment_without_an_instruction_and_leaves_one_that_has_it()
    {
        var late = $"pay_late_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(late, Deployment.TerminalId, amountMinor: 5000));
        await Eventually.True(async () => (await GroupEvents()).OfType<PaymentAuthorizationReceived>().Any(p => p.PaymentId == late), TimeSpan.FromSeconds(10), "recorded by the adapter");
        await PublishAsOrchestrator(new VoidPayment(Deployment.GroupId, late, VoidReason.AuthorizationExpired, OnlyIfUnsettled: true), "void-payment");
        var released = await Instruction(late, TimeSpan.FromSeconds(15));
        Assert.That((released.Json["type"]!.GetValue<string>(), released.Json["reason"]?.GetValue<string>()), Is.EqualTo(("payment.void", VoidReason.AuthorizationExpired)), released.Json.ToJsonString());

        var settled = $"pay_settled_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(settled, Deployment.TerminalId, amountMinor: 5000));
        await Eventually.True(async () => (await GroupEvents()).OfType<PaymentAuthorizationReceived>().Any(p => p.PaymentId == settled), TimeSpan.FromSeconds(10), "recorded by the adapter");
        await PublishAsOrchestrator(new CapturePayment(Deployment.GroupId, settled, 450, "EUR", 10_000, "CP-x-1-3"), "capture-payment");
        var captured = await Instruction(settled, TimeSpan.FromSeconds(15));
        Assert.That(captured.Json["type"]!.GetValue<string>(), Is.EqualTo("payment.capture"), captured.Json.ToJsonString());
        await PublishAsOrchestrator(new VoidPayment(Deployment.GroupId, settled, VoidReason.AuthorizationExpired, OnlyIfUnsettled: true), "void-payment");
        await Eventually.True(() => Task.FromResult(Deployment.Logs.Events.Any(e => e.Level == LogEventLevel.Information && LogCapture.Property(e, "PaymentId") == settled
            && e.MessageTemplate.Text.Contains("only if unsettled", StringComparison.Ordinal))), TimeSpan.FromSeconds(15), "the void unless settled was taken and left");
        // What that void's handling published, it published before its log line: nothing.
        await DrainInstructions();
        Assert.That(Instructions.Where(i => i.Json["paymentId"]?.GetValue<string>() == settled).Select(i => i.Json["type"]!.GetValue<string>()), Is.EqualTo(new[] { "payment.capture" }), "the capture stands alone");

        // The group never heard of either instruction (they were published as the orchestrator, not decided): both wait
        // until the group's own wait voids them, so that no later test's connector serves them.
        await Eventually.True(async () => (await GroupEvents()).OfType<PaymentVoidRequested>().Count(v => v.PaymentId == late || v.PaymentId == settled) == 2, TimeSpan.FromSeconds(20), "the group's own voids");
    }

    private async Task<double> Refused(string reason)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(Deployment.ManagementUrlOf(Deployment.PaymentUrl), "/metrics"));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("chargelink_paymentadapter_instructions_refused", StringComparison.Ordinal) && l.Contains($"reason=\"{reason}\"", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    // As a stock AMQP client holding the orchestrator's credentials would: to the message type's exchange, in MassTransit's envelope.
    private static async Task PublishAsOrchestrator(object command, string urn)
    {
        var account = BrokerAccount.Of("orchestrator", new ConfigurationBuilder().AddEnvironmentVariables().Build());
        var url = new UriBuilder(RealServices.RabbitMq) { UserName = account.User, Password = Uri.EscapeDataString(account.Password), Path = "/" + ChargeLinkSettings.DefaultBrokerVirtualHost }.Uri;
        await using var connection = await new ConnectionFactory { Uri = url }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var body = MassTransitEnvelope.Of(Guid.NewGuid(), $"urn:message:chargelink:{urn}:v1", command);
        await channel.BasicPublishAsync($"chargelink.{urn}.v1", "", mandatory: false, new BasicProperties { ContentType = MassTransitEnvelope.ContentType, Persistent = true }, body);
    }

    // Queues outlive test runs: skip what earlier runs left, and find this test's message by its marker.
    private static Task<BasicGetResult> TakeFrom(PaymentCloudSimulator client, string queue, string marker) =>
        Eventually.Get(async () =>
        {
            while (await client.Take(queue) is { } message)
            {
                if (Encoding.UTF8.GetString(message.Body.Span).Contains(marker, StringComparison.Ordinal))
                    return message;
            }
            return null;
        }, TimeSpan.FromSeconds(15), $"a message containing {marker} in {queue}");

    private static string? Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString()
            : null;
}
