using System.Globalization;
using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;

namespace ChargeLink.Gateway.Ocpp;

/// <summary>OCPP 1.6 MeterValue (MeterValues.meterValue, StopTransaction.transactionData), checked field by field.</summary>
public static class MeterValueSchema
{
    private static readonly string[] Contexts = ["Interruption.Begin", "Interruption.End", "Sample.Clock", "Sample.Periodic", "Transaction.Begin", "Transaction.End", "Trigger", "Other"];
    private static readonly string[] Formats = ["Raw", "SignedData"];
    private static readonly string[] Measurands =
    [
        "Energy.Active.Export.Register", "Energy.Active.Import.Register", "Energy.Reactive.Export.Register", "Energy.Reactive.Import.Register",
        "Energy.Active.Export.Interval", "Energy.Active.Import.Interval", "Energy.Reactive.Export.Interval", "Energy.Reactive.Import.Interval",
        "Power.Active.Export", "Power.Active.Import", "Power.Offered", "Power.Reactive.Export", "Power.Reactive.Import", "Power.Factor",
        "Current.Import", "Current.Export", "Current.Offered", "Voltage", "Frequency", "Temperature", "SoC", "RPM",
    ];
    private static readonly string[] Phases = ["L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"];
    private static readonly string[] Locations = ["Cable", "EV", "Inlet", "Outlet", "Body"];
    private static readonly string[] Units = ["Wh", "kWh", "varh", "kvarh", "W", "kW", "VA", "kVA", "var", "kvar", "A", "V", "K", "Celcius", "Celsius", "Fahrenheit", "Percent"];

    /// <summary>
    /// The highest energy register reading (Energy.Active.Import.Register, the measurand a sample without one has) in Wh
    /// among already-checked meter values; null when none carries one. Signed data is not read here. A reading outside what a
    /// register can hold (<see cref="MeterBounds"/>) is no reading: it is left out and counted in <paramref name="implausible"/>.
    /// </summary>
    public static long? EnergyRegisterWh(JsonArray meterValues, out int implausible)
    {
        long? highest = null;
        implausible = 0;
        foreach (var sample in meterValues.OfType<JsonObject>().SelectMany(v => v["sampledValue"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((sample["measurand"]?.GetValue<string>() ?? "Energy.Active.Import.Register") != "Energy.Active.Import.Register"
                || sample["format"]?.GetValue<string>() == "SignedData"
                || !decimal.TryParse(sample["value"]?.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                continue;
            var wh = (sample["unit"]?.GetValue<string>() ?? "Wh") switch
            {
                "Wh" => value,
                "kWh" when Math.Abs(value) <= long.MaxValue / 1000 => value * 1000,
                "kWh" => decimal.MaxValue,
                _ => (decimal?)null,
            };
            if (wh is not { } reading)
                continue;
            if (reading < 0 || reading > MeterBounds.MaxRegisterWh)
                implausible++;
            else
                highest = Math.Max(highest ?? 0, (long)decimal.Round(reading));
        }
        return highest;
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
