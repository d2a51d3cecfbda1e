using System.Text;
using System.Text.Json;
using ChargeLink.Domain.Groups;
using ChargeLink.EventLog;

namespace ChargeLink.UnitTests.EventLog;

/// <summary>
/// The replay's reading of a stored event from the bytes PostgreSQL sends: the type's name looked up without a string,
/// the data deserialized from UTF-8.
/// </summary>
public sealed class EventJsonTests
{
    [TestCase("connector_occupied_v1", typeof(ConnectorOccupied))]
    [TestCase("payment_authorization_received_v1", typeof(PaymentAuthorizationReceived))]
    [TestCase("payments_forgotten_v1", typeof(PaymentsForgotten))]
    public void A_stored_name_in_UTF8_names_its_record(string name, Type expected) =>
        Assert.That(EventJson.TypeOf(Encoding.UTF8.GetBytes(name)), Is.EqualTo(expected));

    [Test]
    public void Every_stored_name_is_found_from_its_bytes()
    {
        foreach (var (name, type) in GroupEventTypes.ByName)
            Assert.That(EventJson.TypeOf(Encoding.UTF8.GetBytes(name)), Is.EqualTo(type), name);
    }

    [TestCase("connector_occupied_v2")]
    [TestCase("Connector_Occupied_v1")]
    [TestCase("")]
    [TestCase("connector_occupied_v1 ")]
    [TestCase("connector_occupié_v1")]
    public void A_name_that_is_none_of_ours_is_refused(string name) =>
        Assert.Throws<JsonException>(() => EventJson.TypeOf(Encoding.UTF8.GetBytes(name)));

    [Test]
    public void A_name_longer_than_any_of_ours_is_refused_not_overrun() =>
        Assert.Throws<JsonException>(() => EventJson.TypeOf(Encoding.UTF8.GetBytes(new string('x', 10_000))));

    [Test]
    public void The_data_is_read_from_UTF8_into_the_record_its_name_gives()
    {
        var json = """{"ChargePointId": "CP-Ø1", "ConnectorId": 2, "OccupiedAt": "2026-11-25T10:00:00+00:00"}""";
        var type = EventJson.TypeOf("connector_occupied_v1"u8);
        var e = EventJson.Deserialize(type, Encoding.UTF8.GetBytes(json));
        Assert.That(
            e,
            Is.EqualTo(new ConnectorOccupied("CP-Ø1", 2, DateTimeOffset.Parse("2026-11-25T10:00:00+00:00"), null))
        );
    }
}
