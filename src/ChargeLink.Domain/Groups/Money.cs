namespace ChargeLink.Domain.Groups;

/// <summary>An amount in minor units (cents) of an ISO 4217 currency.</summary>
public readonly record struct Money(long Minor, string Currency)
{
    public override string ToString() => $"{Minor} {Currency} (minor units)";
}
