using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using Serilog.Events;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Rule 12 through the real services, with a 3 s bound and a 3 s grace, once per OCPP version (one test, one station
/// driver): a station that charges and never ends its transaction is surfaced (a warning, the read API, a metric),
/// asked to stop by the transaction as the station names it (RemoteStopTransaction's integer, RequestStopTransaction's
/// station-given id), and, when the end still does not come, its payment is captured for the energy of the last
/// reading.
/// </summary>
[TestFixture]
public sealed class OverdueSessionTests : SystemFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_SESSION_MAX_SECONDS"] = "3",
        ["CHARGELINK_SESSION_STOP_GRACE_SECONDS"] = "3",
    };

    // One group per version: the twins never meet.
    protected override int Groups => StationDriver.Versions.Length;

    [TestCaseSource(typeof(StationDriver), nameof(StationDriver.Versions))]
    public async Task A_session_whose_stop_never_comes_is_surfaced_asked_to_stop_and_captured_from_the_last_meter_reading(string version)
    {
        var group = Array.IndexOf(StationDriver.Versions, version);
        await using var station = await StationDriver.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(group), version);
        await station.Occupy(1);
        await Occupied(group, 1);
        var paymentId = $"pay_overdue_{group}_{Deployment.RunId}";
        await Cloud.PublishAuthorization(Simulators.PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(group), amountMinor: 5000));
        await station.AcceptStart(TimeSpan.FromSeconds(15));
        await station.Begin(1, meterWh: 1000);
        // 11 kWh on the register: 10,000 Wh since the start.
        await station.Meter(1, meterWh: 11_000);
        var groupId = Deployment.GroupIdOf(group);
        await Eventually.True(async () => (await GroupEvents(groupId)).OfType<MeterReadingNoted>().Any(m => m.MeterWh == 11_000), TimeSpan.FromSeconds(10), "the reading is kept");

        // Past the bound: the stop names the transaction as the station knows it. The station accepts, and never ends it.
        var stop = await station.Station.NextCallFromGateway(TimeSpan.FromSeconds(20));
        Assert.That((stop[2]!.GetValue<string>(), station.StoppedTransaction(stop)), Is.EqualTo((station.StopAction, station.TransactionId)), stop.ToJsonString());
        await station.Station.Answer(stop, new JsonObject { ["status"] = "Accepted" });

        using var http = Deployment.OperatorClient();
        var record = JsonNode.Parse(await http.GetStringAsync(new Uri(Deployment.OrchestratorUrl, $"/payments/{paymentId}")))!;
        Assert.That(record["overdueSince"], Is.Not.Null, $"the read API shows the session overdue: {record.ToJsonString()}");
        Assert.That(Deployment.Logs.Events.Any(e => e.Level == LogEventLevel.Warning && LogCapture.Property(e, "PaymentId") == paymentId
            && e.RenderMessage().Contains("without StopTransaction", StringComparison.Ordinal)), "a warning names the payment and says why");

        // After the grace: settled from the last reading, 10,000 Wh x 45 / 1000 = 450, in the store and at the cloud.
        var capture = await Eventually.Get(async () => (await GroupEvents(groupId)).OfType<PaymentCaptureRequested>().FirstOrDefault(c => c.PaymentId == paymentId),
            TimeSpan.FromSeconds(20), "a capture from the last meter reading");
        var events = await GroupEvents(groupId);
        var instruction = await Instruction(paymentId, TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That((capture.AmountMinor, capture.EnergyWh), Is.EqualTo((450L, 10_000L)));
            Assert.That((instruction.Json["amount"]!["value"]!.GetValue<long>(), instruction.Json["energyWh"]!.GetValue<long>()), Is.EqualTo((450L, 10_000L)), instruction.Json.ToJsonString());
            Assert.That(events.OfType<ChargingEndedWithoutStop>().Single(e => e.PaymentId == paymentId).MeterStopWh, Is.EqualTo(11_000));
            Assert.That(events.OfType<ChargingOverdue>().Count(e => e.PaymentId == paymentId), Is.EqualTo(1), "asked to stop once");
        });
        await Eventually.True(async () => System.Text.RegularExpressions.Regex.IsMatch(await http.GetStringAsync(new Uri(Deployment.ManagementUrlOf(Deployment.OrchestratorUrl), "/metrics")),
            @"(?m)^chargelink_orchestrator_sessions_overdue(_total)?(\{[^}]*\})? [1-9]"), TimeSpan.FromSeconds(30), "the metric counts the overdue session");
    }
}
