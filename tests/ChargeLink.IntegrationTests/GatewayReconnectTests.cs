using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// A station that drops and reconnects at once, again and again, must stay reachable: the old connection's
/// clean-up may run after the new one is set up, and must not take the new one's command routing with it.
/// </summary>
[TestFixture]
public sealed class GatewayReconnectTests : SystemFixture
{
    [Test]
    public async Task Commands_reach_a_station_that_reconnected_twenty_times_in_quick_succession()
    {
        for (var i = 0; i < 20; i++)
        {
            var flapping = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
            await flapping.Call("Heartbeat", []);
            await flapping.DisposeAsync();
        }
        await using var station = await AStationWithAnOccupiedConnector();
        // Every earlier connection's clean-up has run (its last log line) before the command is routed.
        await Eventually.True(() => Task.FromResult(Deployment.Logs.Events.Count(e => e.MessageTemplate.Text == "Station {ChargePointId} disconnected"
                && LogCapture.Property(e, "ChargePointId") == Deployment.ChargePointId) >= 20),
            TimeSpan.FromSeconds(15), "the twenty earlier connections were cleaned up");

        var paymentId = $"pay_flap_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId));
        var call = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That(call[2]!.GetValue<string>(), Is.EqualTo("RemoteStartTransaction"));
        Assert.That((await GroupEvents()).OfType<RemoteStartFailed>(), Is.Empty, "never answered Offline");
    }

    // OCPP-J 1.6 (4.1.4) makes message ids unique on one connection only. A station that counts them from "1" again on
    // its next connection (without a boot) has its plug-in there taken, not answered from the earlier connection's
    // memory as a resend and dropped.
    [Test]
    public async Task A_1_6_station_that_counts_its_message_ids_from_1_again_after_a_reconnect_has_its_plug_in_taken()
    {
        var preparing = new JsonObject { ["connectorId"] = 2, ["errorCode"] = "NoError", ["status"] = "Preparing" };
        var available = new JsonObject { ["connectorId"] = 2, ["errorCode"] = "NoError", ["status"] = "Available" };
        await using (var first = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId))
        {
            await first.Call("1", "StatusNotification", preparing.DeepClone().AsObject());
            await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Count(o => o.ConnectorId == 2) == 1, TimeSpan.FromSeconds(15), "the first plug-in");
            await first.Call("2", "StatusNotification", available.DeepClone().AsObject());
            await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorVacated>().Any(v => v.ConnectorId == 2), TimeSpan.FromSeconds(15), "the car left");
        }
        await using var second = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        await second.Call("1", "StatusNotification", preparing.DeepClone().AsObject());
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Count(o => o.ConnectorId == 2) == 2, TimeSpan.FromSeconds(15), "the second plug-in, under the first one's message id");
    }
}
