using System.Text;
using ChargeLink.Domain.Topology;
using ChargeLink.Gateway.Stations;

namespace ChargeLink.UnitTests.Gateway;

public sealed class StationCredentialsTests
{
    private static readonly StationCredentials Credentials = new(TopologyFile.Parse("""
        {"stationGroups":[{"id":"g","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],
          "stations":[{"chargePointId":"CP-1","connectors":[1],"password":"s3cret:with:colons"},{"chargePointId":"CP-2","connectors":[1],"securityProfile":0},
            {"chargePointId":"CP-3","connectors":[1]}]}]}
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
}
