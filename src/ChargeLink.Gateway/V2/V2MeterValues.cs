namespace ChargeLink.Gateway.V2;

/// <summary>OCPP 2.x MeterValue (TransactionEvent.meterValue, MeterValues.meterValue), read once its schema has
/// passed.</summary>
public static class V2MeterValues
{
    /// <summary>
    /// The energy register readings (Energy.Active.Import.Register, the measurand a sample without one has) in Wh, with
    /// their unit and multiplier applied, for <see cref="EnergyRegister.Of"/> to judge.
    /// </summary>
    public static IEnumerable<decimal> EnergyReadingsWh(JsonArray? meterValues)
    {
        foreach (var meterValue in meterValues?.OfType<JsonObject>() ?? [])
        {
            foreach (var sample in (meterValue["sampledValue"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var measurand = sample["measurand"]?.GetValue<string>() ?? "Energy.Active.Import.Register";
                if (
                    measurand != "Energy.Active.Import.Register"
                    || sample["value"] is not JsonValue value
                    || !value.TryGetValue<double>(out var asDouble)
                )
                    continue;
                // A number beyond decimal's range is beyond any register's: kept, to be counted as implausible.
                var number =
                    value.TryGetValue<decimal>(out var exact) ? exact
                    : asDouble < 0 ? decimal.MinValue
                    : decimal.MaxValue;
                var unitOfMeasure = sample["unitOfMeasure"] as JsonObject;
                var multiplier = unitOfMeasure is not null
                    ? new PayloadReader(unitOfMeasure).OptionalInt("multiplier") ?? 0
                    : 0;
                if (EnergyRegister.Reading(number, unitOfMeasure?["unit"]?.GetValue<string>(), multiplier) is { } wh)
                    yield return wh;
            }
        }
    }
}
