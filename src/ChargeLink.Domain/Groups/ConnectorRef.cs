namespace ChargeLink.Domain.Groups;

/// <summary>One connector of one station: the unit the invention starts charging on.</summary>
public readonly record struct ConnectorRef(string ChargePointId, int ConnectorId)
{
    public override string ToString() => $"{ChargePointId}/{ConnectorId}";
}
