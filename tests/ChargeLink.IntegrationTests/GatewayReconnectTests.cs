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
}
