namespace ChargeLink.Gateway.V16;

/// <summary>
/// OCPP 1.6 MeterValue (MeterValues.meterValue, StopTransaction.transactionData), already checked against the OCA's
/// schema (its enums included): read for what the energy rule needs.
/// </summary>
public static class V16MeterValues
{
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
        sample.Checked("context", "format", "measurand", "phase", "location", "unit");
    }
}
