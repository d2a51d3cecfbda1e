using System.Text;
using ChargeLink.Domain.Topology;
using ChargeLink.Gateway.Stations;

namespace ChargeLink.UnitTests.Gateway;

public sealed class StationCredentialsTests
{
    private static readonly StationCredentials Credentials = new(TopologyFile.Parse("""
        {"stationGroups":[{"id":"g","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],
          "stations":[{"chargePointId":"CP-1","connectors":[1],"password":"s3cret:with:colons"},{"chargePointId":"CP-2","connectors":[1],"securityProfile":0},
            {"chargePointId":"CP-3","connectors":[1]},{"chargePointId":"CP-4","connectors":[1],"securityProfile":3}]}]}
        """));

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Test]
    public void The_right_id_and_password_pass() => Assert.That(Credentials.Verify("CP-1", Basic("CP-1", "s3cret:with:colons")), Is.True);

    [TestCase(null)]
    [TestCase("Basic !!!not-base64")]
    [TestCase("Bearer abc")]
    public void Missing_or_malformed_credentials_fail(string? header) => Assert.That(Credentials.Verify("CP-1", header), Is.False);

    [Test]
    public void A_wrong_password_fails() => Assert.That(Credentials.Verify("CP-1", Basic("CP-1", "s3cret")), Is.False);

    [Test]
    public void Another_stations_name_fails_even_with_the_right_password() =>
        Assert.That(Credentials.Verify("CP-1", Basic("CP-2", "s3cret:with:colons")), Is.False);

    [Test]
    public void A_station_without_a_password_on_profile_0_connects_without_credentials()
    {
        Assert.That(Credentials.RequiresPassword("CP-2"), Is.False);
        Assert.That(Credentials.Check("CP-2", null), Is.EqualTo(CredentialsVerdict.Accepted));
    }

    [TestCase(null)]
    [TestCase("Basic Q1AtMzo=")] // "CP-3:", an empty password
    [TestCase("Basic Q1AtMzphbnl0aGluZw==")] // "CP-3:anything"
    public void A_station_without_a_password_and_not_on_profile_0_is_refused_whatever_it_sends(string? header)
    {
        Assert.That(Credentials.RequiresPassword("CP-3"), Is.False);
        Assert.That(Credentials.Check("CP-3", header), Is.EqualTo(CredentialsVerdict.NoPasswordAllowed));
    }

    [Test]
    public void A_wrong_password_is_bad_credentials() =>
        Assert.That(Credentials.Check("CP-1", Basic("CP-1", "nope")), Is.EqualTo(CredentialsVerdict.BadCredentials));

    [Test]
    public void A_station_the_topology_does_not_know_is_never_accepted() =>
        Assert.That(Credentials.Verify("CP-UNKNOWN", null), Is.False);

    [Test]
    public void A_profile_3_station_is_the_one_its_certificate_names_in_the_CN_or_the_SAN_and_no_password_replaces_it()
    {
        Assert.That(Credentials.Check("CP-4", null), Is.EqualTo(CredentialsVerdict.NoCertificate));
        Assert.That(Credentials.Check("CP-4", Basic("CP-4", "anything")), Is.EqualTo(CredentialsVerdict.NoCertificate), "a password is no certificate");
        using (var byCn = Certificate("CN=CP-4, O=Vendor"))
            Assert.That(Credentials.Check("CP-4", null, byCn), Is.EqualTo(CredentialsVerdict.Accepted));
        using (var bySan = Certificate("CN=serial-0042", "CP-4"))
            Assert.That(Credentials.Check("CP-4", null, bySan), Is.EqualTo(CredentialsVerdict.Accepted));
        using (var another = Certificate("CN=CP-1", "CP-3"))
            Assert.That(Credentials.Check("CP-4", null, another), Is.EqualTo(CredentialsVerdict.CertificateOfAnother));
        using (var prefix = Certificate("CN=CP-44"))
            Assert.That(Credentials.Check("CP-4", null, prefix), Is.EqualTo(CredentialsVerdict.CertificateOfAnother), "a name that only begins with the id");
    }

    // Chain and dates are the TLS handshake's check (GatewayTls); here only whom the certificate names matters.
    private static System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate(string subject, string? dnsName = null)
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(subject, key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        if (dnsName is not null)
        {
            var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
            names.AddDnsName(dnsName);
            request.CertificateExtensions.Add(names.Build());
        }
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
