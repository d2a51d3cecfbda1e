using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.Gateway.Ocpp;
using ChargeLink.Gateway.V16;

namespace ChargeLink.UnitTests.Gateway;

public sealed class PayloadReaderTests
{
    private static PayloadReader Reader(string json) => new(JsonNode.Parse(json)!.AsObject());

    private static string CodeOf(TestDelegate read) => Assert.Throws<OcppViolation>(read)!.Code;

    [Test]
    public void Valid_fields_are_read()
    {
        var reader = Reader("""{"connectorId": 2, "status": "Preparing", "timestamp": "2026-11-24T10:15:30.123Z", "idTag": "ABC"}""");
        Assert.Multiple(() =>
        {
            Assert.That(reader.RequiredInt("connectorId", min: 0), Is.EqualTo(2));
            Assert.That(reader.RequiredEnum<ConnectorStatus>("status"), Is.EqualTo(ConnectorStatus.Preparing));
            Assert.That(reader.RequiredDateTime("timestamp"), Is.EqualTo(new DateTimeOffset(2026, 11, 24, 10, 15, 30, 123, TimeSpan.Zero)));
            Assert.That(reader.RequiredString("idTag", 20), Is.EqualTo("ABC"));
            Assert.That(reader.OptionalString("info", 50), Is.Null);
        });
    }

    [Test]
    public void A_missing_required_field_is_an_OccurenceConstraintViolation() =>
        Assert.That(CodeOf(() => Reader("{}").RequiredString("idTag", 20)), Is.EqualTo(OcppErrorCode.OccurenceConstraintViolation));

    [TestCase("""{"connectorId": "1"}""")]
    [TestCase("""{"connectorId": 1.5}""")]
    [TestCase("""{"connectorId": true}""")]
    public void A_field_of_the_wrong_type_is_a_TypeConstraintViolation(string json) =>
        Assert.That(CodeOf(() => Reader(json).RequiredInt("connectorId")), Is.EqualTo(OcppErrorCode.TypeConstraintViolation));

    [Test]
    public void A_string_over_its_CiString_length_is_a_PropertyConstraintViolation() =>
        Assert.That(CodeOf(() => Reader("""{"idTag": "123456789012345678901"}""").RequiredString("idTag", 20)), Is.EqualTo(OcppErrorCode.PropertyConstraintViolation));

    [TestCase("preparing")]
    [TestCase("Plugged")]
    public void A_value_outside_the_enum_is_a_PropertyConstraintViolation(string status) =>
        Assert.That(CodeOf(() => Reader($$"""{"status": "{{status}}"}""").RequiredEnum<ConnectorStatus>("status")), Is.EqualTo(OcppErrorCode.PropertyConstraintViolation));

    [Test]
    public void A_negative_connector_id_is_a_PropertyConstraintViolation() =>
        Assert.That(CodeOf(() => Reader("""{"connectorId": -1}""").RequiredInt("connectorId", min: 0)), Is.EqualTo(OcppErrorCode.PropertyConstraintViolation));

    [TestCase("2026-11-24")]
    [TestCase("yesterday")]
    [TestCase("2026-11-24T10:15:30")]
    public void A_timestamp_that_is_not_RFC_3339_is_a_TypeConstraintViolation(string value) =>
        Assert.That(CodeOf(() => Reader($$"""{"timestamp": "{{value}}"}""").RequiredDateTime("timestamp")), Is.EqualTo(OcppErrorCode.TypeConstraintViolation));

    [Test]
    public void An_integer_written_with_a_zero_fraction_is_still_an_integer() =>
        Assert.That(Reader("""{"meterStart": 1000.0}""").RequiredInt("meterStart"), Is.EqualTo(1000));

    [Test]
    public void Twenty_characters_outside_the_Basic_Multilingual_Plane_fit_a_CiString20()
    {
        // 20 emoji are 40 UTF-16 code units but 20 characters, which is what JSON Schema's maxLength counts.
        var twenty = string.Concat(Enumerable.Repeat("\U0001F50C", 20));
        Assert.That(Reader(new JsonObject { ["idTag"] = twenty }.ToJsonString()).RequiredString("idTag", 20), Is.EqualTo(twenty));
        Assert.That(CodeOf(() => Reader(new JsonObject { ["idTag"] = twenty + "x" }.ToJsonString()).RequiredString("idTag", 20)), Is.EqualTo(OcppErrorCode.PropertyConstraintViolation));
    }

    [Test]
    public void A_property_the_schema_does_not_define_is_a_PropertyConstraintViolation()
    {
        var reader = Reader("""{"idTag": "ABC", "colour": "red"}""");
        reader.RequiredString("idTag", 20);
        Assert.That(CodeOf(reader.End), Is.EqualTo(OcppErrorCode.PropertyConstraintViolation));
    }

    [Test]
    public void A_payload_with_only_defined_properties_ends_cleanly()
    {
        var reader = Reader("""{"idTag": "ABC"}""");
        reader.RequiredString("idTag", 20);
        reader.OptionalString("parentIdTag", 20);
        Assert.DoesNotThrow(reader.End);
    }

    [Test]
    public void A_property_inside_a_meter_value_that_the_schema_does_not_define_is_refused_too() =>
        Assert.That(CodeOf(() => Reader("""{"meterValue": [{"timestamp": "2026-11-24T10:15:30Z", "sampledValue": [{"value": "1", "extra": 1}]}]}""")
            .RequiredObjects("meterValue", V16MeterValues.Check)), Is.EqualTo(OcppErrorCode.PropertyConstraintViolation));

    [Test]
    public void Null_for_an_optional_field_is_a_TypeConstraintViolation() =>
        Assert.That(CodeOf(() => Reader("""{"info": null}""").OptionalString("info", 50)), Is.EqualTo(OcppErrorCode.TypeConstraintViolation));
}
