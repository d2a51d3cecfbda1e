using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Npgsql;

namespace ChargeLink.IntegrationTests;

/// <summary>The OCPP endpoint of the contract, over real sockets: who may connect, and how bad frames are answered.</summary>
[TestFixture]
public sealed class GatewayConnectionTests : SystemFixture
{
    [Test]
    public void A_station_the_topology_does_not_know_is_refused_at_the_upgrade_with_404()
    {
        var refused = Assert.ThrowsAsync<UpgradeRefusedException>(() => StationSimulator.Connect(Deployment.GatewayUrl, "CP-NOBODY"));
        Assert.That(refused!.StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task A_station_id_with_a_line_break_in_the_URL_is_refused_and_never_written_into_the_log()
    {
        // %0A decodes to a newline: written raw, the rest would read as a line of its own (an Error the gateway never logged).
        using var http = new HttpClient();
        using var refused = await http.GetAsync(new Uri(Deployment.GatewayUrl, "/ocpp/CP-1%0A%5B12:00:00.000%20ERR%5D%20gateway:%20forged-" + Deployment.RunId));
        Assert.That((int)refused.StatusCode, Is.EqualTo(404));
        var mentions = Deployment.Logs.Events.Where(e => e.RenderMessage().Contains("forged-" + Deployment.RunId, StringComparison.Ordinal)).ToList();
        Assert.That(mentions, Is.Empty, "no message of ours carries the id");
        // ASP.NET Core's own scope names the request's path on each event of the request (as sent, %0A and all): each
        // event is still one line of the text log.
        foreach (var logged in Deployment.Logs.Events.Where(e => e.Properties.Values.Any(v => v.ToString().Contains("forged-" + Deployment.RunId, StringComparison.Ordinal))))
        {
            using var text = new StringWriter();
            ChargeLink.ServiceDefaults.Extensions.TextFormatter().Format(logged, text);
            Assert.That(text.ToString().TrimEnd('\n'), Does.Not.Contain("\n"), "one line");
        }
        Assert.That(Deployment.Logs.Events.Any(e => LogCapture.Property(e, "Subject") == "(not a station id)"), Is.True, "the refusal itself is logged, without the id");
    }

    [TestCase(null)]
    [TestCase("wrong-password")]
    public void A_station_with_a_password_and_missing_or_wrong_credentials_is_refused_with_401(string? password)
    {
        var refused = Assert.ThrowsAsync<UpgradeRefusedException>(() => StationSimulator.Connect(Deployment.GatewayUrl, Deployment.SecuredChargePointId, password));
        Assert.That(refused!.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task A_station_with_its_password_connects_and_boots()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.SecuredChargePointId, Deployment.SecuredPassword);
        var boot = await station.Call("BootNotification", new JsonObject { ["chargePointVendor"] = "V", ["chargePointModel"] = "M" });
        Assert.That(boot[2]!["status"]!.GetValue<string>(), Is.EqualTo("Accepted"));
        Assert.That(boot[2]!["interval"]!.GetValue<int>(), Is.GreaterThan(0));
    }

    [Test]
    public async Task A_client_that_does_not_offer_ocpp16_gets_no_subprotocol_and_is_closed_at_once()
    {
        await using var client = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, offerSubprotocol: false);
        Assert.That(client.Subprotocol, Is.Null.Or.Empty);
        Assert.That(await client.WaitClosed(TimeSpan.FromSeconds(5)), Is.True, "the gateway closes the socket");
        Assert.That(client.CloseStatus, Is.EqualTo(WebSocketCloseStatus.ProtocolError));
    }

    [Test]
    public async Task A_malformed_frame_gets_a_CALLERROR_and_the_connection_stays_up()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);

        var wrongShape = await station.Call("StatusNotification", new JsonObject { ["connectorId"] = "one", ["errorCode"] = "NoError", ["status"] = "Preparing" });
        Assert.That((wrongShape[0]!.GetValue<int>(), wrongShape[2]!.GetValue<string>()), Is.EqualTo((4, "TypeConstraintViolation")));

        var missing = await station.Call("StatusNotification", new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError" });
        Assert.That(missing[2]!.GetValue<string>(), Is.EqualTo("OccurenceConstraintViolation"));

        var badEnum = await station.Call("StatusNotification", new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = "Plugged" });
        Assert.That(badEnum[2]!.GetValue<string>(), Is.EqualTo("PropertyConstraintViolation"));

        var unknown = await station.Call("OpenTheDoor", []);
        Assert.That(unknown[2]!.GetValue<string>(), Is.EqualTo("NotImplemented"));

        var wrongDirection = await station.Call("RemoteStartTransaction", new JsonObject { ["idTag"] = "X" });
        Assert.That(wrongDirection[2]!.GetValue<string>(), Is.EqualTo("NotSupported"), "a known action a station does not send");

        var incomplete = await station.SendRaw("""[2, "no-payload", "Heartbeat"]""", "no-payload", TimeSpan.FromSeconds(5));
        Assert.That((incomplete[1]!.GetValue<string>(), incomplete[2]!.GetValue<string>()), Is.EqualTo(("no-payload", "ProtocolError")));

        await station.SendText("this is not JSON");
        var heartbeat = await station.Call("Heartbeat", []);
        Assert.That(heartbeat[0]!.GetValue<int>(), Is.EqualTo(3), "still connected and answered after a frame it could not read");
        Assert.That(Rfc3339OrNull(heartbeat[2]!["currentTime"]!.GetValue<string>()), Is.Not.Null);
    }

    [Test]
    public async Task A_large_frame_is_served_up_to_the_cap_and_one_beyond_it_closes_the_connection()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        var large = await station.Call("DataTransfer", new JsonObject { ["vendorId"] = "bench", ["data"] = new string('x', 40_000) });
        Assert.That((large[0]!.GetValue<int>(), large[2]!["status"]!.GetValue<string>()), Is.EqualTo((3, "UnknownVendorId")), "40 KB: served");
        Assert.That((await station.Call("Heartbeat", []))[0]!.GetValue<int>(), Is.EqualTo(3), "and the next small frame too");

        await station.SendText($$"""[2, "huge", "DataTransfer", {"vendorId": "bench", "data": "{{new string('x', 70_000)}}"}]""");
        Assert.That(await station.WaitClosed(TimeSpan.FromSeconds(5)), Is.True, "beyond the 64 KiB cap the gateway closes");
        Assert.That(station.CloseStatus, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
    }

    [Test]
    public async Task A_station_that_reconnects_replaces_its_old_connection()
    {
        var since = DateTimeOffset.UtcNow;
        await using var first = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        await using var second = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        Assert.That(await first.WaitClosed(TimeSpan.FromSeconds(5)), Is.True, "the old socket is closed");
        var heartbeat = await second.Call("Heartbeat", []);
        Assert.That(heartbeat[0]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(Deployment.Logs.Events.Where(e => e.Timestamp >= since && e.Level >= Serilog.Events.LogEventLevel.Error).Select(e => e.RenderMessage() + " " + e.Exception), Is.Empty, "a reconnect is routine, not an error");
    }

    [Test]
    public async Task A_CALL_resent_after_a_lost_answer_gets_the_same_answer_and_is_handled_once()
    {
        var start = new JsonObject { ["connectorId"] = 3, ["idTag"] = "RFID-RESEND", ["meterStart"] = 500, ["timestamp"] = "2026-11-24T10:00:00Z" };
        var messageId = $"resend-{Deployment.RunId}";
        int first;
        await using (var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId))
            first = (await station.Call(messageId, "StartTransaction", start.DeepClone().AsObject()))[2]!["transactionId"]!.GetValue<int>();

        // The answer was "lost": the station reconnects and sends the very same CALL again.
        await using var again = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        var second = (await again.Call(messageId, "StartTransaction", start.DeepClone().AsObject()))[2]!["transactionId"]!.GetValue<int>();
        Assert.That(second, Is.EqualTo(first), "the same transaction id, not a second transaction");
        var handled = Deployment.Logs.Events.Count(e => e.MessageTemplate.Text.StartsWith("Transaction {TransactionId} started", StringComparison.Ordinal) && LogCapture.Property(e, "TransactionId") == first.ToString());
        Assert.That(handled, Is.EqualTo(1), "handled and published once");

        // The same id with another payload is another CALL (a station whose counter restarted), and is handled.
        var other = await again.Call(messageId, "StartTransaction", new JsonObject { ["connectorId"] = 4, ["idTag"] = "RFID-RESEND", ["meterStart"] = 0, ["timestamp"] = "2026-11-24T10:05:00Z" });
        Assert.That(other[2]!["transactionId"]!.GetValue<int>(), Is.Not.EqualTo(first));
    }

    [Test]
    public async Task A_failure_on_our_side_is_answered_InternalError_and_the_station_s_resend_is_handled_afresh()
    {
        // This gateway reaches PostgreSQL (where transaction ids come from) through a relay the test can cut.
        var database = new NpgsqlConnectionStringBuilder(RealServices.Postgres) { Pooling = false };
        await using var relay = TcpRelay.Start(database.Host!, database.Port);
        database.Port = relay.Port;
        var gateway = await Deployment.StartGateway(new Dictionary<string, string?> { ["CHARGELINK_POSTGRES"] = database.ConnectionString });
        await using var station = await StationSimulator.Connect(gateway, Deployment.ChargePointId);
        var messageId = $"internal-{Deployment.RunId}";
        JsonObject Start() => new() { ["connectorId"] = 6, ["idTag"] = "RFID-INTERNAL", ["meterStart"] = 0, ["timestamp"] = "2026-11-24T10:00:00Z" };

        relay.Cut();
        var failed = await station.Call(messageId, "StartTransaction", Start());
        Assert.That((failed[0]!.GetValue<int>(), failed[2]!.GetValue<string>()), Is.EqualTo((4, "InternalError")));
        Assert.That((await station.Call("Heartbeat", []))[0]!.GetValue<int>(), Is.EqualTo(3), "the connection stays up");

        // The station retries the same CALL once we are whole again: it is handled, not answered from memory.
        relay.Open();
        var retried = await station.Call(messageId, "StartTransaction", Start());
        Assert.That(retried[0]!.GetValue<int>(), Is.EqualTo(3));
        var transactionId = retried[2]!["transactionId"]!.GetValue<int>();
        var published = Deployment.Logs.Events.Count(e => e.MessageTemplate.Text.StartsWith("Transaction {TransactionId} started", StringComparison.Ordinal) && LogCapture.Property(e, "TransactionId") == transactionId.ToString());
        Assert.That(published, Is.EqualTo(1));
    }

    private static DateTimeOffset? Rfc3339OrNull(string text) => ServiceDefaults.Rfc3339.TryParse(text, out var value) ? value : null;
}
