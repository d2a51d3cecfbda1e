namespace ChargeLink.Gateway.StationRules;

/// <summary>
/// The one energy rule of every OCPP version: what a message says a connector's energy register (the measurand
/// Energy.Active.Import.Register) reads now. Each version reads its own samples (<see cref="Reading"/>); this decides.
/// A register counts up for life, so among one message's readings the highest plausible one is the register now (a
/// phase's register never exceeds the whole meter's). A reading outside 0..<see cref="MeterBounds.MaxRegisterWh"/> is a
/// fault of the meter, not energy to bill: left out and counted. The session's energy is the difference of its own
/// readings, which the decider takes; this only says what each message read.
/// </summary>
public static class EnergyRegister
{
    /// <summary>The register <paramref name="readingsWh"/> report (null when none is plausible), and how many were
    /// not.</summary>
    public static long? Of(IEnumerable<decimal> readingsWh, out int implausible)
    {
        long? highest = null;
        implausible = 0;
        foreach (var wh in readingsWh)
        {
            if (wh < 0 || wh > MeterBounds.MaxRegisterWh)
                implausible++;
            else
                highest = Math.Max(highest ?? 0, (long)decimal.Round(wh, MidpointRounding.AwayFromZero));
        }
        return highest;
    }

    /// <summary>
    /// A sample's value in Wh, from its unit (Wh when the station names none) and its power-of-ten multiplier (2.x);
    /// null when its unit is not one of energy. Too large for any register reads as <see cref="decimal.MaxValue"/>
    /// (implausible), too small as 0.
    /// </summary>
    public static decimal? Reading(decimal value, string? unit, int multiplier = 0)
    {
        var scale = (unit ?? "Wh") switch
        {
            "Wh" => multiplier,
            "kWh" => multiplier + 3,
            _ => (int?)null,
        };
        if (scale is not { } exponent)
            return null;
        try
        {
            var wh = value;
            for (var i = 0; i < Math.Min(Math.Abs(exponent), 40) && wh != 0; i++)
                wh = exponent > 0 ? checked(wh * 10) : wh / 10;
            return wh;
        }
        catch (OverflowException)
        {
            return value < 0 ? decimal.MinValue : decimal.MaxValue;
        }
    }
}
