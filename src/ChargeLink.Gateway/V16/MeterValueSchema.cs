namespace ChargeLink.Gateway.V16;

/// <summary>OCPP 1.6 MeterValue (MeterValues.meterValue, StopTransaction.transactionData), checked field by
/// field.</summary>
public static class MeterValueSchema
{
    private static readonly string[] Contexts =
    [
        "Interruption.Begin",
        "Interruption.End",
        "Sample.Clock",
        "Sample.Periodic",
        "Transaction.Begin",
        "Transaction.End",
        "Trigger",
        "Other",
    ];
    private static readonly string[] Formats = ["Raw", "SignedData"];
    private static readonly string[] Measurands =
    [
        "Energy.Active.Export.Register",
        "Energy.Active.Import.Register",
        "Energy.Reactive.Export.Register",
        "Energy.Reactive.Import.Register",
        "Energy.Active.Export.Interval",
        "Energy.Active.Import.Interval",
        "Energy.Reactive.Export.Interval",
        "Energy.Reactive.Import.Interval",
        "Power.Active.Export",
        "Power.Active.Import",
        "Power.Offered",
        "Power.Reactive.Export",
        "Power.Reactive.Import",
        "Power.Factor",
        "Current.Import",
        "Current.Export",
        "Current.Offered",
        "Voltage",
        "Frequency",
        "Temperature",
        "SoC",
        "RPM",
    ];
    private static readonly string[] Phases =
    [
        "L1",
        "L2",
        "L3",
        "N",
        "L1-N",
        "L2-N",
        "L3-N",
        "L1-L2",
        "L2-L3",
        "L3-L1",
    ];
    private static readonly string[] Locations = ["Cable", "EV", "Inlet", "Outlet", "Body"];
    private static readonly string[] Units =
    [
        "Wh",
        "kWh",
        "varh",
        "kvarh",
        "W",
        "kW",
        "VA",
        "kVA",
        "var",
        "kvar",
        "A",
        "V",
        "K",
        "Celcius",
        "Celsius",
        "Fahrenheit",
        "Percent",
    ];

    /// <summary>
    /// The energy register readings (Energy.Active.Import.Register, the measurand a sample without one has) in Wh among
    /// already-checked meter values, for <see cref="EnergyRegister.Of"/> to judge. Signed data is not read here.
    /// </summary>
    public static IEnumerable<decimal> EnergyReadingsWh(JsonArray meterValues)
    {
        foreach (
            var sample in meterValues
                .OfType<JsonObject>()
                .SelectMany(v => v["sampledValue"] as JsonArray ?? [])
                .OfType<JsonObject>()
        )
        {
            if (
                (sample["measurand"]?.GetValue<string>() ?? "Energy.Active.Import.Register")
                    == "Energy.Active.Import.Register"
                && sample["format"]?.GetValue<string>() != "SignedData"
                && decimal.TryParse(
                    sample["value"]?.GetValue<string>(),
                    NumberStyles.Float,
                    CultureInfo.InvariantCulture,
                    out var value
                )
                && EnergyRegister.Reading(value, sample["unit"]?.GetValue<string>()) is { } wh
            )
                yield return wh;
        }
    }

    public static void Check(PayloadReader meterValue)
    {
        meterValue.RequiredDateTime("timestamp");
        meterValue.RequiredObjects("sampledValue", SampledValue, nonEmpty: true);
    }

    private static void SampledValue(PayloadReader sample)
    {
        sample.RequiredString("value", int.MaxValue);
        sample.OptionalOneOf("context", Contexts);
        sample.OptionalOneOf("format", Formats);
        sample.OptionalOneOf("measurand", Measurands);
        sample.OptionalOneOf("phase", Phases);
        sample.OptionalOneOf("location", Locations);
        sample.OptionalOneOf("unit", Units);
    }
}
