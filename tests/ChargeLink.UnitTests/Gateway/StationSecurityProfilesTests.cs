using ChargeLink.Domain.Topology;
using ChargeLink.Gateway.Stations;

namespace ChargeLink.UnitTests.Gateway;

public sealed class StationSecurityProfilesTests
{
    private static readonly SiteTopology Topology = TopologyFile.Parse("""
        {"stationGroups":[
          {"id":"open","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"securityProfile":0,
           "stations":[{"chargePointId":"G0","connectors":[1]},{"chargePointId":"G0-PW","connectors":[1],"password":"pw"}]},
          {"id":"plain","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],
           "stations":[{"chargePointId":"S0","connectors":[1],"securityProfile":0},{"chargePointId":"NONE","connectors":[1]},
                       {"chargePointId":"PW","connectors":[1],"password":"pw"},{"chargePointId":"PW2","connectors":[1],"password":"pw","securityProfile":2}]}]}
        """);

    [Test]
    public void Over_ws_the_stations_with_a_password_are_on_profile_1_and_those_without_on_0_or_refused()
    {
        var profiles = StationSecurityProfiles.Of(Topology, tls: false);
        Assert.Multiple(() =>
        {
            Assert.That(profiles.WithoutPassword, Is.EqualTo(new[] { "G0", "S0" }));
            Assert.That(profiles.WithPassword, Is.EqualTo(new[] { "G0-PW", "PW", "PW2" }));
            Assert.That(profiles.PasswordProfile, Is.EqualTo(1));
            Assert.That(profiles.Refused, Is.EqualTo(new[] { "NONE" }));
            Assert.That(profiles.Profile2WithoutTls, Is.EqualTo(new[] { "PW2" }), "it says 2, but its password would travel in clear");
        });
    }

    [Test]
    public void Over_wss_the_stations_with_a_password_are_on_profile_2()
    {
        var profiles = StationSecurityProfiles.Of(Topology, tls: true);
        Assert.That((profiles.PasswordProfile, profiles.WithPassword.Count, profiles.Profile2WithoutTls.Count), Is.EqualTo((2, 3, 0)));
    }

    [Test]
    public void A_list_names_at_most_20_stations_and_counts_the_rest()
    {
        var ids = Enumerable.Range(1, 25).Select(i => $"CP-{i}").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(StationSecurityProfiles.List([]), Is.EqualTo("none"));
            Assert.That(StationSecurityProfiles.List(["CP-1", "CP-2"]), Is.EqualTo("CP-1, CP-2"));
            Assert.That(StationSecurityProfiles.List(ids[..20]), Does.EndWith("CP-19, CP-20"));
            Assert.That(StationSecurityProfiles.List(ids),
                Is.EqualTo("CP-1, CP-2, CP-3, CP-4, CP-5, CP-6, CP-7, CP-8, CP-9, CP-10, CP-11, CP-12, CP-13, CP-14, CP-15, CP-16, CP-17, CP-18, CP-19, CP-20 and 5 more"));
        });
    }
}
