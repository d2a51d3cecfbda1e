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
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[]}]}""",
        "stationGroups[0] (a).stations: a group needs at least one station")]
    [TestCase("""{"stationGroups":[{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C1","connectors":[1]}]},{"id":"a","tariff":{"pricePerKwhMinor":1,"currency":"EUR"},"terminals":[],"stations":[{"chargePointId":"C2","connectors":[1]}]}]}""",
        "group id \"a\" is used twice")]
    [TestCase("""{"stationGroups":[]}""", "at least one station group is needed")]
    [TestCase("""{"groups":[]}""", "topology: \"stationGroups\" is missing")]
    [TestCase("""{"stationGroups":[ """, "topology: not valid JSON")]
    public void An_invalid_file_is_rejected_with_a_message_naming_the_offending_entry(string json, string expected)
    {
        var error = Assert.Throws<TopologyException>(() => TopologyFile.Parse(json));
        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public void A_station_password_never_appears_in_its_printed_form()
    {
        var station = TopologyFile.Parse(Valid).FindStation("CP-A2")!.Value.Station;
        Assert.That(station.ToString(), Does.Not.Contain("secret").And.Contain("Password = set"));
    }
}
