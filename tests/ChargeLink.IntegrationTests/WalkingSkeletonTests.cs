using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Marten;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The whole path once, with real parts: a station on a real WebSocket, a signed payment on the real
/// payment cloud queue, the saga's stream in real PostgreSQL, RemoteStartTransaction back on the socket.
/// </summary>
[TestFixture]
public sealed class WalkingSkeletonTests : SystemFixture
{
    [Test]
    public async Task A_plugged_in_connector_and_a_signed_payment_at_the_groups_terminal_start_charging_there()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        Assert.That(station.Subprotocol, Is.EqualTo("ocpp1.6"));

        var boot = await station.Call("BootNotification", new JsonObject { ["chargePointVendor"] = "Test", ["chargePointModel"] = "Skeleton" });
        Assert.That(boot[2]!["status"]!.GetValue<string>(), Is.EqualTo("Accepted"), boot.ToJsonString());

        var status = await station.Call("StatusNotification", new JsonObject
        {
            ["connectorId"] = 1,
            ["errorCode"] = "NoError",
            ["status"] = "Preparing",
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        });
        Assert.That(status[0]!.GetValue<int>(), Is.EqualTo(3), status.ToJsonString());

        // The occupancy must be in the stream before the payment is sent, so the order below is the order of the world.
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(), TimeSpan.FromSeconds(15), "the group's stream holds ConnectorOccupied");

        var paymentId = $"pay_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, amountMinor: 5000));

        var remoteStart = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That(remoteStart[2]!.GetValue<string>(), Is.EqualTo("RemoteStartTransaction"), remoteStart.ToJsonString());
        var request = remoteStart[3]!.AsObject();
        Assert.That(request["connectorId"]!.GetValue<int>(), Is.EqualTo(1));
        var idTag = request["idTag"]!.GetValue<string>();
        Assert.That(idTag, Has.Length.InRange(1, 20));
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });

        // The idTag stands for the payment: the station's StartTransaction with it is accepted.
        var start = await station.Call("StartTransaction", new JsonObject
        {
            ["connectorId"] = 1,
            ["idTag"] = idTag,
            ["meterStart"] = 1000,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        });
        Assert.That(start[2]!["idTagInfo"]!["status"]!.GetValue<string>(), Is.EqualTo("Accepted"), start.ToJsonString());

        var events = await Eventually.Get(async () => (await GroupEvents()) is var all && all.OfType<ChargingStarted>().Any() ? all : null, TimeSpan.FromSeconds(15), "the stream records the charging");
        Assert.That(events.Take(3).Select(e => e.GetType()), Is.EqualTo(new[] { typeof(ConnectorOccupied), typeof(PaymentAuthorizationReceived), typeof(ChargingStartRequested) }));
        // The station's Accepted answer and its StartTransaction travel separately; either may be recorded first
        // (a StartTransaction with the payment's idTag means charging, and a late Accepted then changes nothing).
        Assert.That(events.Skip(3).Select(e => e.GetType()), Is.EqualTo(new[] { typeof(RemoteStartAccepted), typeof(ChargingStarted) }).Or.EqualTo(new[] { typeof(ChargingStarted) }));
        var occupied = (ConnectorOccupied)events[0];
        var payment = (PaymentAuthorizationReceived)events[1];
        var decision = (ChargingStartRequested)events[2];
        Assert.Multiple(() =>
        {
            Assert.That((occupied.ChargePointId, occupied.ConnectorId), Is.EqualTo((Deployment.ChargePointId, 1)));
            Assert.That((payment.PaymentId, payment.TerminalId, payment.AmountMinor, payment.Currency), Is.EqualTo((paymentId, Deployment.TerminalId, 5000L, "EUR")));
            Assert.That((decision.PaymentId, decision.ChargePointId, decision.ConnectorId, decision.IdTag), Is.EqualTo((paymentId, Deployment.ChargePointId, 1, idTag)));
        });

        // Structured logs carry the ids an on-call engineer searches by, and never the card number.
        var logs = Deployment.Logs.Events;
        Assert.Multiple(() =>
        {
            Assert.That(logs.Any(e => LogCapture.Property(e, "ChargePointId") == Deployment.ChargePointId && LogCapture.Property(e, "ConnectorId") == "1" && LogCapture.Property(e, "GroupId") == Deployment.GroupId), "a log event with station, connector and group ids");
            Assert.That(logs.Any(e => LogCapture.Property(e, "PaymentId") == paymentId && LogCapture.Property(e, "GroupId") == Deployment.GroupId), "a log event with payment and group ids");
            Assert.That(logs.Any(e => e.RenderMessage().Contains("************4242") || e.Properties.Values.Any(v => v.ToString().Contains("************4242"))), Is.False, "the masked PAN appears in no log");
        });
    }

}
