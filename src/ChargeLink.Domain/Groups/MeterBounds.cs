namespace ChargeLink.Domain.Groups;

/// <summary>
/// What a station's energy register may plausibly read. Real meters count for life, so a register is large but bounded:
/// a 350 kW connector running flat out for twenty years counts about 61 GWh. A reading outside 0..<see
/// cref="MaxRegisterWh"/> is no reading: the gateway refuses or drops it where it enters, and the decider never takes
/// one past this bound.
/// </summary>
public static class MeterBounds
{
    /// <summary>100 GWh, in Wh.</summary>
    public const long MaxRegisterWh = 100_000_000_000;

    /// <summary>Whether <paramref name="wh"/> can be an energy register's reading.</summary>
    public static bool IsPlausibleRegister(long wh) => wh is >= 0 and <= MaxRegisterWh;
}
