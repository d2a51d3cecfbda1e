using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Rule 12 for an OCPP 2.0.1 station, with a 3 s bound and a 3 s grace: the overdue session is stopped with
/// RequestStopTransaction naming the station's own transaction id, and without an end it is captured from the last
/// reading its TransactionEvents carried.
/// </summary>
[TestFixture]
public sealed class Ocpp2OverdueSessionTests : SystemFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_SESSION_MAX_SECONDS"] = "3",
        ["CHARGELINK_SESSION_STOP_GRACE_SECONDS"] = "3",
    };

    [Test]
    public async Task An_overdue_2_0_1_session_is_stopped_by_its_own_transaction_id_and_captured_from_its_last_reading()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: "ocpp2.0.1");
        await station.Call("StatusNotification", new JsonObject { ["timestamp"] = Now(), ["connectorStatus"] = "Occupied", ["evseId"] = 1, ["connectorId"] = 1 });
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(), TimeSpan.FromSeconds(10), "the EVSE waits");
        var paymentId = $"pay_overdue201_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, amountMinor: 5000));
        var start = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        var idToken = start[3]!["idToken"]!.DeepClone();
        await station.Answer(start, new JsonObject { ["status"] = "Accepted" });

        JsonObject Event(string type, int seqNo, long wh) => new()
        {
            ["eventType"] = type,
            ["timestamp"] = Now(),
            ["triggerReason"] = type == "Started" ? "RemoteStart" : "MeterValuePeriodic",
            ["seqNo"] = seqNo,
            ["transactionInfo"] = new JsonObject { ["transactionId"] = "tx-overdue-201" },
            ["idToken"] = idToken.DeepClone(),
            ["evse"] = new JsonObject { ["id"] = 1, ["connectorId"] = 1 },
            ["meterValue"] = new JsonArray(new JsonObject { ["timestamp"] = Now(), ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = wh }) }),
        };
        await station.Call("TransactionEvent", Event("Started", 0, 1000));
        await station.Call("TransactionEvent", Event("Updated", 1, 11_000));
        await Eventually.True(async () => (await GroupEvents()).OfType<MeterReadingNoted>().Any(m => m.MeterWh == 11_000), TimeSpan.FromSeconds(10), "the reading is kept");

        // Past the bound: the stop names the transaction as the station knows it. The station accepts and never ends it.
        var stop = await station.NextCallFromGateway(TimeSpan.FromSeconds(20));
        Assert.That((stop[2]!.GetValue<string>(), stop[3]!["transactionId"]!.GetValue<string>()), Is.EqualTo(("RequestStopTransaction", "tx-overdue-201")), stop.ToJsonString());
        await station.Answer(stop, new JsonObject { ["status"] = "Accepted" });

        // After the grace: 10,000 Wh x 45 / 1000 = 450.
        var capture = await Instruction(paymentId, TimeSpan.FromSeconds(30));
        Assert.That((capture.Json["amount"]!["value"]!.GetValue<long>(), capture.Json["energyWh"]!.GetValue<long>()), Is.EqualTo((450L, 10_000L)), capture.Json.ToJsonString());
    }
}
