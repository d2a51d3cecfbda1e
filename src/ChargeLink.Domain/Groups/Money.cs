namespace ChargeLink.Domain.Groups;

/// <summary>An amount in minor units (cents) of an ISO 4217 currency.</summary>
public readonly record struct Money(long Minor, string Currency)
{
    public override string ToString() => $"{Minor} {Currency} (minor units)";

    // Minor units as stored: the number of decimals differs by currency (EUR 2, JPY 0), and the log keeps no table of
    // them.
    public static string Describe(long minor, string currency) => $"{minor} {currency} minor units";
}
