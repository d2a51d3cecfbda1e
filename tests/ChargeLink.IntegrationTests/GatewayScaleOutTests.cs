using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Two gateway instances behind one broker: a command reaches the instance that holds the station's socket and
/// no other, follows the station when it moves, and is answered Offline at once when it is connected nowhere.
/// </summary>
[TestFixture]
public sealed class GatewayScaleOutTests : SystemFixture
{
    [Test]
    public async Task A_command_goes_to_the_instance_holding_the_station_follows_it_and_is_answered_offline_when_it_is_nowhere()
    {
        var gatewayA = Deployment.GatewayUrl;
        var gatewayB = await Deployment.StartGateway();

        // On B: the payment's command reaches the station through B only.
        await using (var onB = await StationSimulator.Connect(gatewayB, Deployment.ChargePointId))
        {
            await Charge(onB, connector: 1, $"pay_b_{Deployment.RunId}");
        }

        // Moved to A: the next command goes to A.
        await using (var onA = await StationSimulator.Connect(gatewayA, Deployment.ChargePointId))
        {
            await Charge(onA, connector: 2, $"pay_a_{Deployment.RunId}");
            await PlugIn(onA, 3);
            await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(o => o.ConnectorId == 3), TimeSpan.FromSeconds(10), "connector 3 waits");
        }

        // Connected nowhere: answered Offline at once, far sooner than the 60 s a station has to answer.
        var offlinePayment = $"pay_nowhere_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(offlinePayment, Deployment.TerminalId));
        var failed = await Eventually.Get(async () => (await GroupEvents()).OfType<RemoteStartFailed>().FirstOrDefault(f => f.PaymentId == offlinePayment), TimeSpan.FromSeconds(10), "the start fails as Offline");
        // Offline, not TimedOut: answered by the unroutable queue, not by the 60 s bound (no duration is asserted).
        Assert.That(failed.Outcome, Is.EqualTo(RemoteStartOutcome.Offline));

        var handledElsewhere = Deployment.Logs.Events.Count(e => e.MessageTemplate.Text.Contains("has just left this instance", StringComparison.Ordinal));
        Assert.That(handledElsewhere, Is.Zero, "no command ever reached an instance without the station");
    }

    [Test]
    public async Task A_station_has_one_outstanding_CALL_at_a_time_and_further_commands_queue()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        await PlugIn(station, 7);
        await PlugIn(station, 8);
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Count(o => o.ConnectorId is 7 or 8) == 2, TimeSpan.FromSeconds(10), "connectors 7 and 8 wait");
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization($"pay_q1_{Deployment.RunId}", Deployment.TerminalId));
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization($"pay_q2_{Deployment.RunId}", Deployment.TerminalId));
        await Eventually.True(async () => (await GroupEvents()).OfType<ChargingStartRequested>().Count(s => s.ConnectorId is 7 or 8) == 2, TimeSpan.FromSeconds(10), "both starts decided");

        var first = await station.NextCallFromGateway(TimeSpan.FromSeconds(10));
        Assert.ThrowsAsync<TimeoutException>(() => station.NextCallFromGateway(TimeSpan.FromSeconds(1)), "the second CALL waits for the first answer");
        await station.Answer(first, new JsonObject { ["status"] = "Accepted" });
        var second = await station.NextCallFromGateway(TimeSpan.FromSeconds(10));
        Assert.That(new[] { first, second }.Select(c => c[3]!["connectorId"]!.GetValue<int>()), Is.EquivalentTo(new[] { 7, 8 }));
        await station.Answer(second, new JsonObject { ["status"] = "Accepted" });
    }

    [Test]
    public async Task Transaction_ids_are_unique_across_gateway_instances()
    {
        var other = await Deployment.StartGateway();
        var ids = new List<int>();
        var meter = 0;
        foreach (var gateway in new[] { Deployment.GatewayUrl, other, Deployment.GatewayUrl, other })
        {
            await using var station = await StationSimulator.Connect(gateway, Deployment.ChargePointId);
            // Four different transactions (the same StartTransaction again would be a resend, and get the same id).
            var start = await station.Call("StartTransaction", new JsonObject { ["connectorId"] = 5, ["idTag"] = "RFID-IDS", ["meterStart"] = meter += 10, ["timestamp"] = "2026-11-24T10:00:00Z" });
            ids.Add(start[2]!["transactionId"]!.GetValue<int>());
        }
        Assert.That(ids, Is.Unique);
        // Each instance draws blocks of its own from one PostgreSQL sequence: the first id of a block is 1 mod 100.
        Assert.That(ids.Take(2).Select(id => id % Gateway.Durable.TransactionIds.BlockSize), Is.All.EqualTo(1));
        Assert.That(ids[2] - ids[0], Is.EqualTo(1), "the next id of instance A comes from its block");
    }

    private async Task Charge(StationSimulator station, int connector, string paymentId)
    {
        await PlugIn(station, connector);
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(o => o.ConnectorId == connector), TimeSpan.FromSeconds(10), $"connector {connector} waits");
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId));
        var call = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That((call[2]!.GetValue<string>(), call[3]!["connectorId"]!.GetValue<int>()), Is.EqualTo(("RemoteStartTransaction", connector)));
        await station.Answer(call, new JsonObject { ["status"] = "Accepted" });
        await Eventually.True(async () => (await GroupEvents()).OfType<RemoteStartAccepted>().Any(a => a.PaymentId == paymentId), TimeSpan.FromSeconds(10), $"{paymentId} accepted");
    }

    private static async Task PlugIn(StationSimulator station, int connector) =>
        await station.Call("StatusNotification", new JsonObject { ["connectorId"] = connector, ["errorCode"] = "NoError", ["status"] = "Preparing" });
}
