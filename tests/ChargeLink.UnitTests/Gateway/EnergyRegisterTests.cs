using System.Text.Json.Nodes;
using ChargeLink.Gateway.StationRules;
using ChargeLink.Gateway.V16;
using ChargeLink.Gateway.V2;

namespace ChargeLink.UnitTests.Gateway;

/// <summary>
/// One energy rule for every OCPP version: the same readings, written in 1.6's and in 2.x's wire format, give the same
/// register and the same count of implausible ones. (The rule once differed: 1.6 took the highest reading, 2.x the last.)
/// </summary>
public sealed class EnergyRegisterTests
{
    // Each case: readings as (value, unit, 2.x multiplier), then the register and the implausible count expected.
    private static readonly object[] Cases =
    [
        new object[] { new[] { ("12000", "Wh", 0) }, 12_000L, 0 },
        new object[] { new[] { ("12.5", "kWh", 0) }, 12_500L, 0 },
        // A register counts up: among one message's readings the highest is the register now, wherever it stands.
        new object[] { new[] { ("15000", "Wh", 0), ("14000", "Wh", 0) }, 15_000L, 0 },
        new object[] { new[] { ("14000", "Wh", 0), ("15000", "Wh", 0) }, 15_000L, 0 },
        // Hostile numbers: below zero, past a lifetime's register (100 GWh), 2^63 in kWh: left out and counted.
        new object[] { new[] { ("-5", "Wh", 0), ("20000", "Wh", 0) }, 20_000L, 1 },
        new object[] { new[] { ("100000000001", "Wh", 0) }, null!, 1 },
        new object[] { new[] { ("9223372036854775808", "kWh", 0), ("3000", "Wh", 0) }, 3_000L, 1 },
        // A unit that is not energy is not a reading at all.
        new object[] { new[] { ("7", "W", 0) }, null!, 0 },
    ];

    [TestCaseSource(nameof(Cases))]
    public void The_same_readings_give_the_same_register_in_1_6_and_in_2_x((string Value, string Unit, int Multiplier)[] readings, long? register, int implausible)
    {
        var v16 = EnergyRegister.Of(V16MeterValues.EnergyReadingsWh(V16(readings)), out var implausible16);
        var v2 = EnergyRegister.Of(V2MeterValues.EnergyReadingsWh(V2(readings)), out var implausible2);
        Assert.Multiple(() =>
        {
            Assert.That((v16, implausible16), Is.EqualTo((register, implausible)), "1.6");
            Assert.That((v2, implausible2), Is.EqualTo((register, implausible)), "2.x");
        });
    }

    [Test]
    public void A_2_x_multiplier_scales_the_reading_and_one_past_any_register_is_implausible()
    {
        Assert.That(EnergyRegister.Of(V2MeterValues.EnergyReadingsWh(V2([("12", "kWh", 1)])), out var none), Is.EqualTo(120_000));
        Assert.That(none, Is.Zero);
        Assert.That(EnergyRegister.Of(V2MeterValues.EnergyReadingsWh(V2([("1", "Wh", 1000)])), out var one), Is.Null);
        Assert.That(one, Is.EqualTo(1));
    }

    private static JsonArray V16((string Value, string Unit, int Multiplier)[] readings) =>
        [new JsonObject
        {
            ["timestamp"] = "2026-12-06T10:00:00Z",
            ["sampledValue"] = new JsonArray([.. readings.Select(r => (JsonNode)new JsonObject { ["value"] = r.Value, ["unit"] = r.Unit })]),
        }];

    private static JsonArray V2((string Value, string Unit, int Multiplier)[] readings) =>
        [new JsonObject
        {
            ["timestamp"] = "2026-12-06T10:00:00Z",
            ["sampledValue"] = new JsonArray([.. readings.Select(r => (JsonNode)new JsonObject
            {
                ["value"] = JsonNode.Parse(r.Value),
                ["unitOfMeasure"] = new JsonObject { ["unit"] = r.Unit, ["multiplier"] = r.Multiplier },
            })]),
        }];
}
