using ChargeLink.Domain.Topology;

namespace ChargeLink.UnitTests.Domain;

public sealed class TopologyFileTests
{
    private const string Valid = """
        {
          "stationGroups": [
            {
              "id": "site-a", "name": "Harbour car park",
              "tariff": { "pricePerKwhMinor": 45, "currency": "EUR" },
              "terminals": ["TERM-A1", "TERM-A2"],
              "stations": [
                { "chargePointId": "CP-A1", "connectors": [1, 2] },
                { "chargePointId": "CP-A2", "connectors": [1, 2], "password": "secret" }
              ]
            },
            {
              "id": "site-b", "tariff": { "pricePerKwhMinor": 0, "currency": "SEK" },
              "terminals": [], "stations": [ { "chargePointId": "CP-B1", "connectors": [3] } ]
            }
          ]
        }
        """;

    [Test]
    public void The_data_model_maps_terminals_to_groups_and_stations_to_connectors()
    {
        var topology = TopologyFile.Parse(Valid);
        Assert.Multiple(() =>
        {
            Assert.That(topology.GroupOfTerminal("TERM-A2")?.Id, Is.EqualTo("site-a"));
            Assert.That(topology.GroupOfTerminal("TERM-X"), Is.Null);
            Assert.That(topology.FindStation("CP-A2")?.Station.Password, Is.EqualTo("secret"));
            Assert.That(topology.FindStation("CP-B1")?.Group.Id, Is.EqualTo("site-b"));
            Assert.That(topology.FindStation("CP-B1")?.Station.HasConnector(3), Is.True);
            Assert.That(topology.FindGroup("site-a")?.Tariff, Is.EqualTo(new Tariff(45, "EUR")));
            Assert.That(topology.FindGroup("site-b")?.Name, Is.EqualTo("site-b"), "the name defaults to the id");
        });
    }

    [Test]
    public void The_sample_topology_shipped_in_infra_is_valid()
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../../infra/topology.sample.json");
        Assert.That(TopologyFile.Parse(File.ReadAllText(path)).Groups, Is.Not.Empty);
    }

    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":["T1"],"stations":[{"chargePointId":"C1","connectors":[1]}]},{"id":"b","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":["T1"],"stations":[{"chargePointId":"C2","connectors":[1]}]}]}""",
        "stationGroups[1] (b).terminals: terminal \"T1\" already belongs to group \"a\"")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":["T1"],"stations":[{"chargePointId":"C1","connectors":[1]}]},{"id":"b","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":["T2"],"stations":[{"chargePointId":"C1","connectors":[1]}]}]}""",
        "stationGroups[1] (b).stations: station \"C1\" already belongs to group \"a\"")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1,2,1]}]}]}""",
        "stationGroups[0] (a).stations[0] (C1).connectors[2]: connector 1 is listed twice")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[0]}]}]}""",
        "stationGroups[0] (a).stations[0] (C1).connectors[0]: a connector id is a positive integer, not 0")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1.5]}]}]}""",
        "connectors[0]: a connector id is a positive integer, not 1.5")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"eur"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1]}]}]}""",
        "stationGroups[0] (a).tariff.currency: \"eur\" is not an ISO 4217 code")]
    [TestCase("""{"stationGroups":[{"id":"a","terminals":[],"stations":[{"chargePointId":"C1","connectors":[1]}]}]}""",
        "stationGroups[0] (a): \"tariff\" is missing")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":-1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1]}]}]}""",
        "tariff.pricePerKwhMinor: must be a whole number of minor units >= 0")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C 1","connectors":[1]}]}]}""",
        "stations[0].chargePointId: \"C 1\" must be letters, digits")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1\n","connectors":[1]}]}]}""",
        "stations[0].chargePointId: \"C1\n\" must be letters, digits")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[]}]}""",
        "stationGroups[0] (a).stations: a group needs at least one station")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1]}]},{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C2","connectors":[1]}]}]}""",
        "group id \"a\" is used twice")]
    [TestCase("""{"stationGroups":[]}""", "at least one station group is needed")]
    [TestCase("""{"groups":[]}""", "topology: \"stationGroups\" is missing")]
    [TestCase("""{"stationGroups":[ """, "topology: not valid JSON")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":["T1","T2",""],"stations":[{"chargePointId":"C1","connectors":[1]}]}]}""",
        "stationGroups[0] (a).terminals[2]: a terminal id is a string of 1-")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":["T1","T1"],"stations":[{"chargePointId":"C1","connectors":[1]}]}]}""",
        "stationGroups[0] (a).terminals[1]: terminal \"T1\" is listed twice")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C0","connectors":[1]},{"chargePointId":"C1","connectors":[]}]}]}""",
        "stationGroups[0] (a).stations[1] (C1).connectors: a station needs at least one connector")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1],"password":""}]}]}""",
        "stations[0] (C1).password: leave it out for no password")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1],"password":7}]}]}""",
        "stations[0] (C1).password: must be a string")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[7]}]}""",
        "stationGroups[0] (a).stations[0]: must be a JSON object")]
    [TestCase("""{"stationGroups":[7]}""",
        "stationGroups[0]: must be a JSON object")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":{},"stations":[{"chargePointId":"C1","connectors":[1]}]}]}""",
        "stationGroups[0] (a).terminals: must be a JSON array, not object")]
    [TestCase("""{"stationGroups":[{"id":"   ","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1]}]}]}""",
        "stationGroups[0].id: must be 1-64 characters, not \"   \"")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1]}],"name":1}]}""",
        "stationGroups[0] (a).name: must be a string")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1]}]}]}""",
        "stationGroups[0] (a).tariff: \"pricePerKwhMinor\" is missing")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1]}]}]}""",
        "stationGroups[0] (a).tariff: \"currency\" is missing")]
    [TestCase("""[1]""",
        "topology: the file must hold a JSON object with \"stationGroups\"")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1],"securityProfile":4}]}]}""",
        "stationGroups[0] (a).stations[0] (C1).securityProfile: must be 0 (no password), 1 (HTTP Basic), 2 (HTTP Basic over TLS) or 3 (TLS client certificate), not 4")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"securityProfile":3,"stations":[{"chargePointId":"C1","connectors":[1],"password":"p"}]}]}""",
        "stationGroups[0] (a).stations[0] (C1): profile 3 authenticates the station by its TLS client certificate, not a password; remove the \"password\"")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":["TERM 1"],"stations":[{"chargePointId":"C1","connectors":[1]}]}]}""",
        "stationGroups[0] (a).terminals[0]: a terminal id is a string of 1-64 printable ASCII characters, no space")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1],"securityProfile":-1}]}]}""",
        "stationGroups[0] (a).stations[0] (C1).securityProfile: must be 0 (no password), 1 (HTTP Basic), 2 (HTTP Basic over TLS) or 3 (TLS client certificate), not -1")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1],"securityProfile":"0"}]}]}""",
        "stationGroups[0] (a).stations[0] (C1).securityProfile: must be 0 (no password), 1 (HTTP Basic), 2 (HTTP Basic over TLS) or 3 (TLS client certificate), not \"0\"")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1],"securityProfile":0.5}]}]}""",
        "stationGroups[0] (a).stations[0] (C1).securityProfile: must be 0 (no password), 1 (HTTP Basic), 2 (HTTP Basic over TLS) or 3 (TLS client certificate), not 0.5")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"securityProfile":7,"stations":[{"chargePointId":"C1","connectors":[1]}]}]}""",
        "stationGroups[0] (a).securityProfile: must be 0 (no password), 1 (HTTP Basic), 2 (HTTP Basic over TLS) or 3 (TLS client certificate), not 7")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C0","connectors":[1]},{"chargePointId":"C1","connectors":[1],"password":"pw","securityProfile":0}]}]}""",
        "stationGroups[0] (a).stations[1] (C1).securityProfile: 0 means no password, but the station has one; remove the password or the 0")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1],"securityProfile":1}]}]}""",
        "stationGroups[0] (a).stations[0] (C1).securityProfile: profile 1 needs a password (HTTP Basic); give the station a \"password\" or say 0")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1],"securityProfile":2}]}]}""",
        "stationGroups[0] (a).stations[0] (C1).securityProfile: profile 2 needs a password (HTTP Basic); give the station a \"password\" or say 0")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"securityProfile":1,"stations":[{"chargePointId":"C0","connectors":[1],"password":"pw"},{"chargePointId":"C1","connectors":[1]}]}]}""",
        "stationGroups[0] (a).stations[1] (C1): no \"password\", but its group says securityProfile 1, which needs one; give the station a password or say \"securityProfile\": 0 on it")]
    public void An_invalid_file_is_rejected_with_a_message_naming_the_offending_entry(string json, string expected)
    {
        var error = Assert.Throws<TopologyException>(() => TopologyFile.Parse(json));
        Assert.That(error!.Message, Does.Contain(expected));
    }

    private const string Profiles = """
        {
          "stationGroups": [
            {
              "id": "open", "tariff": { "pricePerKwhMinor": 1, "currency": "EUR" }, "terminals": [], "securityProfile": 0,
              "stations": [
                { "chargePointId": "OPEN-NO-PASSWORD", "connectors": [1] },
                { "chargePointId": "OPEN-WITH-PASSWORD", "connectors": [1], "password": "pw" }
              ]
            },
            {
              "id": "plain", "tariff": { "pricePerKwhMinor": 1, "currency": "EUR" }, "terminals": [],
              "stations": [
                { "chargePointId": "SAYS-0", "connectors": [1], "securityProfile": 0 },
                { "chargePointId": "SAYS-NOTHING", "connectors": [1] },
                { "chargePointId": "SAYS-NULL", "connectors": [1], "securityProfile": null },
                { "chargePointId": "PASSWORD-ONLY", "connectors": [1], "password": "pw" },
                { "chargePointId": "SAYS-1", "connectors": [1], "password": "pw", "securityProfile": 1 }
              ]
            },
            {
              "id": "tls", "tariff": { "pricePerKwhMinor": 1, "currency": "EUR" }, "terminals": [], "securityProfile": 2,
              "stations": [
                { "chargePointId": "TLS-INHERITED", "connectors": [1], "password": "pw" },
                { "chargePointId": "TLS-SAYS-1", "connectors": [1], "password": "pw", "securityProfile": 1 },
                { "chargePointId": "TLS-EXCEPT-THIS-0", "connectors": [1], "securityProfile": 0 }
              ]
            }
          ]
        }
        """;

    [TestCase("OPEN-NO-PASSWORD", 0, true)] // A group's 0 lets its station without a password connect unauthenticated
    [TestCase("OPEN-WITH-PASSWORD", null, false)] // A station's password wins over its group's 0
    [TestCase("SAYS-0", 0, true)] // A station's own 0 lets it connect unauthenticated
    [TestCase("SAYS-NOTHING", null, false)] // A station without a password that says nothing may not connect unauthenticated
    [TestCase("SAYS-NULL", null, false)] // A null securityProfile is as if left out
    [TestCase("PASSWORD-ONLY", null, false)] // A station with a password needs no securityProfile
    [TestCase("SAYS-1", 1, false)] // A station with a password may say 1
    [TestCase("TLS-INHERITED", 2, false)] // A group's 2 reaches its station with a password
    [TestCase("TLS-SAYS-1", 1, false)] // A station's own profile wins over its group's
    [TestCase("TLS-EXCEPT-THIS-0", 0, true)] // A station without a password may say 0 in a group that says 2
    public void The_security_profile_a_station_is_on_comes_from_the_station_else_its_group(string chargePointId, int? profile, bool unauthenticated)
    {
        var station = TopologyFile.Parse(Profiles).FindStation(chargePointId)!.Value.Station;
        Assert.That((station.SecurityProfile, station.AllowsUnauthenticatedConnection), Is.EqualTo((profile, unauthenticated)));
    }

    [Test]
    public void A_group_keeps_the_profile_it_states()
    {
        var topology = TopologyFile.Parse(Profiles);
        Assert.That(new[] { "open", "plain", "tls" }.Select(g => topology.FindGroup(g)!.SecurityProfile), Is.EqualTo(new int?[] { 0, null, 2 }));
    }

    [Test]
    public void The_sample_topology_states_profile_0_for_its_stations_without_a_password()
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../../infra/topology.sample.json");
        var topology = TopologyFile.Parse(File.ReadAllText(path));
        var stations = topology.Groups.SelectMany(g => g.Stations).ToDictionary(s => s.ChargePointId, s => (s.Password is not null, s.AllowsUnauthenticatedConnection));
        Assert.That(stations, Is.EqualTo(new Dictionary<string, (bool, bool)>
        {
            ["CP-A1"] = (false, true),
            ["CP-A2"] = (false, true),
            ["CP-B1"] = (true, false),
        }));
    }

    [Test]
    public void A_station_on_profile_0_prints_it()
    {
        var station = TopologyFile.Parse(Profiles).FindStation("SAYS-0")!.Value.Station;
        Assert.That(station.ToString(), Is.EqualTo("StationDefinition { ChargePointId = SAYS-0, Connectors = [1], Password = none, SecurityProfile = 0 }"));
    }

    [Test]
    public void A_station_password_never_appears_in_its_printed_form()
    {
        var station = TopologyFile.Parse(Valid).FindStation("CP-A2")!.Value.Station;
        Assert.That(station.ToString(), Does.Not.Contain("secret").And.Contain("Password = set"));
    }

    [Test]
    public void Comments_and_trailing_commas_are_allowed_and_a_group_has_its_name()
    {
        var topology = TopologyFile.Parse("""
            // the operator's notes
            { "stationGroups": [ { "id": "a", "name": "Harbour", "tariff": { "pricePerKwhMinor": 1, "currency": "EUR", },
              "terminals": [ "T1", ], "stations": [ { "chargePointId": "C1", "connectors": [ 1, ], }, ], }, ], }
            """);
        Assert.That(topology.FindGroup("a")?.Name, Is.EqualTo("Harbour"));
    }

    [Test]
    public void A_station_without_a_password_prints_none()
    {
        var station = TopologyFile.Parse(Valid).FindStation("CP-A1")!.Value.Station;
        Assert.That(station.ToString(), Is.EqualTo("StationDefinition { ChargePointId = CP-A1, Connectors = [1, 2], Password = none }"));
    }

    [Test]
    public void Invalid_JSON_is_refused_with_its_line_and_byte_counted_from_one()
    {
        var error = Assert.Throws<TopologyException>(() => TopologyFile.Parse("""
            {
              "stationGroups": [ x ]
            }
            """));
        // 'x' is the 22nd byte of the second line.
        Assert.That(error!.Message, Does.StartWith("topology: not valid JSON (line 2, byte 22)"));
    }
}
