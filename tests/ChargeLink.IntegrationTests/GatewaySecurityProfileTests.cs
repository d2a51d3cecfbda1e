using System.Text.Json;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Serilog.Events;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Who may connect without a password: only a station that the topology puts on OCPP security profile 0, itself or
/// through its group; any other station without a password is refused at the upgrade with 401. Served by a gateway of
/// its own that reads a topology written here (the upgrade needs nothing from the orchestrator).
/// </summary>
[TestFixture]
public sealed class GatewaySecurityProfileTests : SystemFixture
{
    private string _topologyPath = null!;
    private Uri _gateway = null!;

    private string NoChoice => $"CP-{Deployment.RunId}-NONE";
    private string SaysZero => $"CP-{Deployment.RunId}-S0";
    private string GroupSaysZero => $"CP-{Deployment.RunId}-G0";
    private string PasswordInGroupZero => $"CP-{Deployment.RunId}-G0PW";
    private string PasswordInGroupZeroSecret => $"g0-{Deployment.RunId}";

    [OneTimeSetUp]
    public async Task StartGatewayWithTheseStations()
    {
        _topologyPath = Path.Combine(Path.GetTempPath(), $"chargelink-topology-profiles-{Deployment.RunId}.json");
        object Group(string id, int? securityProfile, object[] stations) => securityProfile is { } profile
            ? new { id, tariff = new { pricePerKwhMinor = 45, currency = "EUR" }, terminals = Array.Empty<string>(), securityProfile = profile, stations }
            : new { id, tariff = new { pricePerKwhMinor = 45, currency = "EUR" }, terminals = Array.Empty<string>(), stations };
        await File.WriteAllTextAsync(_topologyPath, JsonSerializer.Serialize(new
        {
            stationGroups = new[]
            {
                Group($"profiles-{Deployment.RunId}-plain", null,
                [
                    new { chargePointId = NoChoice, connectors = new[] { 1 } },
                    new { chargePointId = SaysZero, connectors = new[] { 1 }, securityProfile = 0 },
                ]),
                Group($"profiles-{Deployment.RunId}-open", 0,
                [
                    new { chargePointId = GroupSaysZero, connectors = new[] { 1 } },
                    new { chargePointId = PasswordInGroupZero, connectors = new[] { 1 }, password = PasswordInGroupZeroSecret },
                ]),
            },
        }));
        _gateway = await Deployment.StartGateway(new Dictionary<string, string?> { ["CHARGELINK_TOPOLOGY"] = _topologyPath });
    }

    [OneTimeTearDown]
    public void DeleteTopology() => File.Delete(_topologyPath);

    [TestCase(null)]
    [TestCase("anything")]
    public void A_station_without_a_password_is_refused_with_401_unless_the_topology_says_profile_0(string? password)
    {
        var refused = Assert.ThrowsAsync<UpgradeRefusedException>(() => StationSimulator.Connect(_gateway, NoChoice, password));
        Assert.That(refused!.StatusCode, Is.EqualTo(401));
        var logged = Deployment.Logs.Events.Where(e => e.Level == LogEventLevel.Warning && LogCapture.Property(e, "ChargePointId") == NoChoice);
        Assert.That(logged.Select(e => e.RenderMessage()), Has.Some.Contains("has no password and the topology does not say \"securityProfile\": 0"));
    }

    [Test]
    public async Task A_station_that_says_profile_0_connects_without_credentials()
    {
        await using var station = await StationSimulator.Connect(_gateway, SaysZero);
        Assert.That((await station.Call("Heartbeat", []))[0]!.GetValue<int>(), Is.EqualTo(3));
    }

    [Test]
    public async Task A_second_connection_taking_a_profile_0_station_is_logged_at_Warning_with_both_addresses()
    {
        await using var first = await StationSimulator.Connect(_gateway, SaysZero);
        await first.Call("Heartbeat", []);
        // Anyone who reaches the gateway, a web page in a browser on the site's network included, may connect as it.
        await using var taker = await StationSimulator.Connect(_gateway, SaysZero);
        await taker.Call("Heartbeat", []);

        var warned = Deployment.Logs.Events.Where(e => e.Level == LogEventLevel.Warning && LogCapture.Property(e, "ChargePointId") == SaysZero
            && e.MessageTemplate.Text.Contains("security profile 0", StringComparison.Ordinal)).ToList();
        Assert.That(warned, Has.Count.EqualTo(1), "one replacement, one Warning");
        Assert.That((LogCapture.Property(warned[0], "RemoteAddress"), LogCapture.Property(warned[0], "PreviousRemoteAddress")), Is.EqualTo(("127.0.0.1", "127.0.0.1")));
        using var http = new HttpClient();
        // prometheus-net reads the .NET meters on a timer of its own: the count shows within seconds.
        var metrics = "";
        var counted = new System.Text.RegularExpressions.Regex(@"(?m)^chargelink_gateway_profile0_connections_replaced(_total)?(\{[^}]*\})? [1-9]");
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(30) && !counted.IsMatch(metrics); await Task.Delay(200))
            metrics = await http.GetStringAsync(new Uri(Deployment.ManagementUrlOf(_gateway), "/metrics"));
        Assert.That(counted.IsMatch(metrics), Is.True, "counted on the management address: " + string.Join(" | ", metrics.Split('\n').Where(l => l.Contains("gateway", StringComparison.Ordinal))));
    }

    [Test]
    public async Task A_web_page_cannot_connect_as_a_profile_0_station()
    {
        // What a browser sends for a page's `new WebSocket(...)`: an Origin, which no station sends.
        using var page = new System.Net.WebSockets.ClientWebSocket();
        page.Options.AddSubProtocol("ocpp1.6");
        page.Options.SetRequestHeader("Origin", "http://a-page-on-the-site-network.example");
        page.Options.CollectHttpResponseDetails = true;
        Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => page.ConnectAsync(new UriBuilder(_gateway) { Scheme = "ws", Path = $"/ocpp/{GroupSaysZero}" }.Uri, CancellationToken.None));
        Assert.That((int)page.HttpStatusCode, Is.EqualTo(403));
        await using var station = await StationSimulator.Connect(_gateway, GroupSaysZero);
        Assert.That((await station.Call("Heartbeat", []))[0]!.GetValue<int>(), Is.EqualTo(3), "the station itself, without an Origin, still connects");
    }

    [Test]
    public async Task A_station_whose_group_says_profile_0_connects_without_credentials()
    {
        await using var station = await StationSimulator.Connect(_gateway, GroupSaysZero);
        Assert.That((await station.Call("Heartbeat", []))[0]!.GetValue<int>(), Is.EqualTo(3));
    }

    [TestCase(null)]
    [TestCase("wrong-password")]
    public void A_station_with_a_password_in_a_group_that_says_profile_0_still_needs_its_password(string? password)
    {
        var refused = Assert.ThrowsAsync<UpgradeRefusedException>(() => StationSimulator.Connect(_gateway, PasswordInGroupZero, password));
        Assert.That(refused!.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task A_station_with_a_password_in_a_group_that_says_profile_0_connects_with_it()
    {
        await using var station = await StationSimulator.Connect(_gateway, PasswordInGroupZero, PasswordInGroupZeroSecret);
        Assert.That((await station.Call("Heartbeat", []))[0]!.GetValue<int>(), Is.EqualTo(3));
    }

    [Test]
    public void The_gateway_logs_at_start_which_stations_are_on_which_profile_and_warns_of_those_it_will_refuse()
    {
        // Every gateway of the deployment logs into the same capture; these lines are the ones naming this topology's stations.
        string[] ours = [NoChoice, SaysZero, GroupSaysZero, PasswordInGroupZero];
        var mine = Deployment.Logs.Events.Where(e => LogCapture.Property(e, "StationIds") is { } ids && ids.Split(", ").Intersect(ours).Any()).ToList();
        var byProfile = mine.Where(e => e.Level == LogEventLevel.Information)
            .ToDictionary(e => LogCapture.Property(e, "SecurityProfile")!, e => (LogCapture.Property(e, "StationCount"), LogCapture.Property(e, "StationIds")));
        Assert.Multiple(() =>
        {
            Assert.That(byProfile["0"], Is.EqualTo(("2", $"{SaysZero}, {GroupSaysZero}")), "no password, as the topology allows");
            Assert.That(byProfile["1"], Is.EqualTo(("1", PasswordInGroupZero)), "HTTP Basic over ws");
            var warning = mine.Single(e => e.Level == LogEventLevel.Warning);
            Assert.That((LogCapture.Property(warning, "StationCount"), LogCapture.Property(warning, "StationIds")), Is.EqualTo(("1", NoChoice)));
            Assert.That(warning.RenderMessage(), Does.Contain("refused with 401"));
        });
    }
}
