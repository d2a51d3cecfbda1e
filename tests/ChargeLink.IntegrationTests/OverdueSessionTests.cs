using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Serilog.Events;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Rule 12 through the real services, with a 3 s bound and a 3 s grace: a station that charges and never sends
/// StopTransaction is surfaced (a warning, the read API, a metric), asked to stop with RemoteStopTransaction, and, when
/// the stop still does not come, its payment is captured for the energy of the last MeterValues reading.
/// </summary>
[TestFixture]
public sealed class OverdueSessionTests : SystemFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_SESSION_MAX_SECONDS"] = "3",
        ["CHARGELINK_SESSION_STOP_GRACE_SECONDS"] = "3",
    };

    [Test]
    public async Task A_session_whose_stop_never_comes_is_surfaced_asked_to_stop_and_captured_from_the_last_meter_reading()
    {
        await using var station = await AStationWithAnOccupiedConnector();
        var paymentId = $"pay_overdue_{Deployment.RunId}";
        var remoteStart = await APaymentAskedToStart(station, 0, paymentId, amountMinor: 5000);
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var started = await station.Call("StartTransaction", new JsonObject { ["connectorId"] = 1, ["idTag"] = remoteStart[3]!["idTag"]!.DeepClone(), ["meterStart"] = 1000, ["timestamp"] = now });
        var transactionId = started[2]!["transactionId"]!.GetValue<int>();
        // 11 kWh on the register (in kWh, as some stations report it): 10,000 Wh since the start.
        await station.Call("MeterValues", new JsonObject
        {
            ["connectorId"] = 1,
            ["transactionId"] = transactionId,
            ["meterValue"] = new JsonArray(new JsonObject { ["timestamp"] = now, ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = "11", ["unit"] = "kWh" }) }),
        });
        await Eventually.True(async () => (await GroupEvents()).OfType<MeterReadingNoted>().Any(m => m.MeterWh == 11_000), TimeSpan.FromSeconds(10), "the reading is kept");

        // Past the bound: RemoteStopTransaction for this transaction. The station accepts, and never sends StopTransaction.
        var remoteStop = await station.NextCallFromGateway(TimeSpan.FromSeconds(20));
        Assert.That((remoteStop[2]!.GetValue<string>(), remoteStop[3]!["transactionId"]!.GetValue<int>()), Is.EqualTo(("RemoteStopTransaction", transactionId)));
        await station.Answer(remoteStop, new JsonObject { ["status"] = "Accepted" });

        using var http = Deployment.OperatorClient();
        var record = JsonNode.Parse(await http.GetStringAsync(new Uri(Deployment.OrchestratorUrl, $"/payments/{paymentId}")))!;
        Assert.That(record["overdueSince"], Is.Not.Null, $"the read API shows the session overdue: {record.ToJsonString()}");
        Assert.That(Deployment.Logs.Events.Any(e => e.Level == LogEventLevel.Warning && LogCapture.Property(e, "PaymentId") == paymentId
            && e.RenderMessage().Contains("without StopTransaction", StringComparison.Ordinal)), "a warning names the payment and says why");

        // After the grace: settled from the last reading, 10,000 Wh x 45 / 1000 = 450.
        var capture = await Eventually.Get(async () => (await GroupEvents()).OfType<PaymentCaptureRequested>().FirstOrDefault(c => c.PaymentId == paymentId),
            TimeSpan.FromSeconds(20), "a capture from the last meter reading");
        var events = await GroupEvents();
        Assert.Multiple(() =>
        {
            Assert.That((capture.AmountMinor, capture.EnergyWh), Is.EqualTo((450L, 10_000L)));
            Assert.That(events.OfType<ChargingEndedWithoutStop>().Single(e => e.PaymentId == paymentId).MeterStopWh, Is.EqualTo(11_000));
            Assert.That(events.OfType<ChargingOverdue>().Count(e => e.PaymentId == paymentId), Is.EqualTo(1), "asked to stop once");
        });
        await Eventually.True(async () => System.Text.RegularExpressions.Regex.IsMatch(await http.GetStringAsync(new Uri(Deployment.ManagementUrlOf(Deployment.OrchestratorUrl), "/metrics")),
            @"(?m)^chargelink_orchestrator_sessions_overdue(_total)?(\{[^}]*\})? [1-9]"), TimeSpan.FromSeconds(30), "the metric counts the overdue session");
    }
}
