namespace ChargeLink.Domain.Groups;

/// <summary>Rule 10: what a session costs.</summary>
public static class Pricing
{
    /// <summary>
    /// energy (Wh) x price per kWh (minor units) / 1000, rounded half up to a whole minor unit, and never
    /// more than the amount the driver's card holds.
    /// </summary>
    public static long CaptureAmount(long energyWh, long pricePerKwhMinor, long heldMinor)
    {
        var priced = checked(((Int128)energyWh * pricePerKwhMinor + 500) / 1000);
        return (long)Int128.Min(priced, heldMinor);
    }
}
