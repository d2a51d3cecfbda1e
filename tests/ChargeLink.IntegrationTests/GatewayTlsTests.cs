using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>OCPP security profile 2: HTTP Basic over TLS, with the gateway's certificate from configuration.</summary>
[TestFixture]
public sealed class GatewayTlsTests : SystemFixture
{
    private static readonly TestCertificate Certificate = TestCertificate.Create();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_GATEWAY_URL"] = "https://127.0.0.1:0",
        ["CHARGELINK_GATEWAY_CERTIFICATE"] = Certificate.Path,
        ["CHARGELINK_GATEWAY_CERTIFICATE_PASSWORD"] = Certificate.Password,
    };

    private static bool OurCertificate(X509Certificate? presented) => Certificate.IsThis(presented);

    [Test]
    public async Task A_station_with_its_password_connects_over_TLS_and_is_served()
    {
        Assert.That(Deployment.GatewayUrl.Scheme, Is.EqualTo("https"));
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.SecuredChargePointId, Deployment.SecuredPassword, trustServer: OurCertificate);
        var boot = await station.Call("BootNotification", new JsonObject { ["chargePointVendor"] = "V", ["chargePointModel"] = "M" });
        Assert.That(boot[2]!["status"]!.GetValue<string>(), Is.EqualTo("Accepted"));
    }

    [Test]
    public void Over_TLS_a_wrong_password_is_still_refused_with_401()
    {
        var refused = Assert.ThrowsAsync<UpgradeRefusedException>(() => StationSimulator.Connect(Deployment.GatewayUrl, Deployment.SecuredChargePointId, "wrong", trustServer: OurCertificate));
        Assert.That(refused!.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public void A_station_that_does_not_trust_the_certificate_does_not_connect()
    {
        // Refused by the TLS handshake itself, before any HTTP answer (a 401 or 404 would be another cause).
        var refused = Assert.ThrowsAsync<UpgradeRefusedException>(() => StationSimulator.Connect(Deployment.GatewayUrl, Deployment.SecuredChargePointId, Deployment.SecuredPassword, trustServer: _ => false));
        Assert.That(refused!.StatusCode, Is.Zero, "no HTTP status: the handshake failed");
        Assert.That(Causes(refused).OfType<System.Security.Authentication.AuthenticationException>(), Is.Not.Empty, refused.ToString());
    }

    [Test]
    public void Over_TLS_the_start_log_puts_the_stations_with_a_password_on_profile_2()
    {
        var line = Deployment.Logs.Events.Single(e => LogCapture.Property(e, "SecurityProfile") is "1" or "2");
        Assert.That((LogCapture.Property(line, "SecurityProfile"), LogCapture.Property(line, "Transport"), LogCapture.Property(line, "StationIds")),
            Is.EqualTo(("2", "wss", Deployment.SecuredChargePointId)));
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
            yield return cause;
    }

    [OneTimeTearDown]
    public void DeleteCertificate() => Certificate.Dispose();
}
