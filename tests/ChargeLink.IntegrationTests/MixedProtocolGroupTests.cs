using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// A site with chargers of three generations behind one terminal: a 1.6, a 2.0.1 and a 2.1 station. The rule is the
/// same for all: the earliest-plugged connector gets the payment.
/// </summary>
[TestFixture]
public sealed class MixedProtocolGroupTests : SystemFixture
{
    [Test]
    public async Task In_a_mixed_group_payments_start_connectors_in_order_of_plug_in_whatever_their_protocol()
    {
        // The group's 1.6 station, its 2.0.1 station (the one with a password) and its 2.1 station, plugged in in turn.
        await using var old = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        await using var v201 = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.SecuredChargePointId, Deployment.SecuredPassword, subprotocol: "ocpp2.0.1");
        await using var v21 = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ThirdChargePointId, subprotocol: "ocpp1.6,ocpp2.0.1,ocpp2.1");
        Assert.That((old.Subprotocol, v201.Subprotocol, v21.Subprotocol), Is.EqualTo(("ocpp1.6", "ocpp2.0.1", "ocpp2.1")));
        var plugged = new List<(string Station, int Connector)>();
        async Task Plugged(string station, int connector)
        {
            await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(o => o.ChargePointId == station && o.ConnectorId == connector), TimeSpan.FromSeconds(15), $"{station}/{connector} occupied");
            plugged.Add((station, connector));
        }
        await Call(v21, "StatusNotification", new JsonObject { ["timestamp"] = Now(), ["connectorStatus"] = "Occupied", ["evseId"] = 1, ["connectorId"] = 1 });
        await Plugged(Deployment.ThirdChargePointId, 1);
        await old.Call("StatusNotification", new JsonObject { ["connectorId"] = 7, ["errorCode"] = "NoError", ["status"] = "Preparing" });
        await Plugged(Deployment.ChargePointId, 7);
        await Call(v201, "StatusNotification", new JsonObject { ["timestamp"] = Now(), ["connectorStatus"] = "Occupied", ["evseId"] = 1, ["connectorId"] = 1 });
        await Plugged(Deployment.SecuredChargePointId, 1);

        // Three payments, one after another: each starts the earliest-occupied connector still waiting.
        var starts = new List<(string Station, int Connector)>();
        for (var i = 0; i < 3; i++)
        {
            await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization($"pay_{Deployment.RunId}_mixed_{i}", Deployment.TerminalId));
            var expected = plugged[i];
            var station = expected.Station == Deployment.SecuredChargePointId ? v201 : expected.Station == Deployment.ThirdChargePointId ? v21 : old;
            var call = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
            var connector = call[2]!.GetValue<string>() == "RequestStartTransaction" ? call[3]!["evseId"]!.GetValue<int>() : call[3]!["connectorId"]!.GetValue<int>();
            starts.Add((expected.Station, connector));
            await station.Answer(call, new JsonObject { ["status"] = "Accepted" });
        }
        Assert.That(starts, Is.EqualTo(plugged), "starts in order of plug-in across 1.6, 2.0.1 and 2.1");
        var decided = (await GroupEvents()).OfType<ChargingStartRequested>().Select(s => (s.ChargePointId, s.ConnectorId)).ToList();
        Assert.That(decided.TakeLast(3), Is.EqualTo(plugged));
    }

    private static async Task<JsonArray> Call(StationSimulator station, string action, JsonObject payload)
    {
        var answer = await station.Call(action, payload);
        Assert.That(answer[0]!.GetValue<int>(), Is.EqualTo(3), $"{action} answered with a CALLRESULT: {answer.ToJsonString()}");
        return answer;
    }

}
