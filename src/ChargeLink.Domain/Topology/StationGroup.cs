namespace ChargeLink.Domain.Topology;

public sealed record StationGroup(
    string Id,
    string Name,
    Tariff Tariff,
    IReadOnlyList<string> Terminals,
    IReadOnlyList<StationDefinition> Stations);

public sealed record StationDefinition(string ChargePointId, IReadOnlyList<int> Connectors, string? Password)
{
    public bool HasConnector(int connectorId) => Connectors.Contains(connectorId);

    // Keeps the password out of logs and exception messages that print the record.
    public override string ToString() =>
        $"StationDefinition {{ ChargePointId = {ChargePointId}, Connectors = [{string.Join(", ", Connectors)}], Password = {(Password is null ? "none" : "set")} }}";
}

/// <summary>Price of one kWh in minor units of <see cref="Currency"/> (ISO 4217).</summary>
public sealed record Tariff(long PricePerKwhMinor, string Currency);
