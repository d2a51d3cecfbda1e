using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Serilog.Events;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// OCPP security profile 3: a station that the topology puts on profile 3 is who its TLS client certificate says, the
/// certificate issued by the station CA the gateway is given. Tried with certificates made here: the right one, one for
/// another station, an expired one, one of another CA, and none. Served by a gateway of its own on TLS.
/// </summary>
[TestFixture]
public sealed class GatewayClientCertificateTests : SystemFixture
{
    private readonly TestCertificate _server = TestCertificate.Create();
    private readonly StationCertificates _ca = new("ChargeLink test station CA");
    private readonly StationCertificates _otherCa = new("Someone else's CA");
    private string _topologyPath = null!;
    private Uri _gateway = null!;

    private string Station => $"CP-{Deployment.RunId}-P3";
    private string Neighbour => $"CP-{Deployment.RunId}-P3B";

    [OneTimeSetUp]
    public async Task StartGatewayWithProfile3Stations()
    {
        _topologyPath = Path.Combine(Path.GetTempPath(), $"chargelink-topology-profile3-{Deployment.RunId}.json");
        await File.WriteAllTextAsync(_topologyPath, JsonSerializer.Serialize(new
        {
            stationGroups = new[]
            {
                new
                {
                    id = $"profile3-{Deployment.RunId}",
                    tariff = new { pricePerKwhMinor = 45, currency = "EUR" },
                    terminals = Array.Empty<string>(),
                    securityProfile = 3,
                    stations = new[] { new { chargePointId = Station, connectors = new[] { 1 } }, new { chargePointId = Neighbour, connectors = new[] { 1 } } },
                },
            },
        }));
        _gateway = await Deployment.StartGateway(new Dictionary<string, string?>
        {
            ["CHARGELINK_TOPOLOGY"] = _topologyPath,
            ["CHARGELINK_GATEWAY_URL"] = "https://127.0.0.1:0",
            ["CHARGELINK_GATEWAY_CERTIFICATE"] = _server.Path,
            ["CHARGELINK_GATEWAY_CERTIFICATE_PASSWORD"] = _server.Password,
            ["CHARGELINK_GATEWAY_CLIENT_CA"] = _ca.PemPath,
        });
    }

    [OneTimeTearDown]
    public void DeleteFiles()
    {
        File.Delete(_topologyPath);
        _server.Dispose();
        _ca.Dispose();
        _otherCa.Dispose();
    }

    private Task<StationSimulator> Connect(X509Certificate2? certificate) =>
        StationSimulator.Connect(_gateway, Station, trustServer: _server.IsThis, clientCertificate: certificate);

    [Test]
    public async Task The_station_with_a_certificate_of_the_station_CA_naming_it_connects_and_is_served()
    {
        using var certificate = _ca.Station(Station);
        await using var station = await Connect(certificate);
        Assert.That((await station.Call("Heartbeat", []))[0]!.GetValue<int>(), Is.EqualTo(3));
    }

    [Test]
    public void A_certificate_of_the_station_CA_that_names_another_station_is_refused_with_401()
    {
        using var certificate = _ca.Station(Neighbour);
        var refused = Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(certificate));
        Assert.That(refused!.StatusCode, Is.EqualTo(401));
        Assert.That(Deployment.Logs.Events.Any(e => e.Level == LogEventLevel.Warning && LogCapture.Property(e, "Subject") == Station
            && e.RenderMessage().Contains("names another station", StringComparison.Ordinal)), Is.True, "the refusal says why");
    }

    [Test]
    public void Without_a_certificate_a_profile_3_station_is_refused_with_401()
    {
        var refused = Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(null));
        Assert.That(refused!.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public void An_expired_certificate_of_the_station_CA_ends_the_TLS_handshake()
    {
        using var expired = _ca.Station(Station, DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        var refused = Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(expired));
        Assert.That(refused!.StatusCode, Is.Zero, $"no HTTP status: the handshake failed ({refused})");
    }

    [Test]
    public void A_certificate_naming_the_station_from_another_CA_ends_the_TLS_handshake()
    {
        using var forged = _otherCa.Station(Station);
        var refused = Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(forged));
        Assert.That(refused!.StatusCode, Is.Zero, $"no HTTP status: the handshake failed ({refused})");
    }

    [Test]
    public void The_gateway_logs_at_start_which_stations_are_on_profile_3()
    {
        var line = Deployment.Logs.Events.Single(e => LogCapture.Property(e, "SecurityProfile") == "3");
        Assert.That(LogCapture.Property(line, "StationIds"), Is.EqualTo($"{Station}, {Neighbour}"));
    }
}
