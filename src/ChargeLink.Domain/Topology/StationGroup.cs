namespace ChargeLink.Domain.Topology;

/// <param name="SecurityProfile">The OCPP security profile the file states for the group (0, 1 or 2), null when it
/// states none;
/// its stations inherit it as <see cref="TopologyFile"/> resolves.</param>
public sealed record StationGroup(
    string Id,
    string Name,
    Tariff Tariff,
    IReadOnlyList<string> Terminals,
    IReadOnlyList<StationDefinition> Stations,
    int? SecurityProfile = null
);

/// <param name="SecurityProfile">The OCPP security profile the file states for this station: its own, else its group's
/// where
/// that applies (a group's 0 does not reach a station with a password). Null when neither states one.</param>
public sealed record StationDefinition(
    string ChargePointId,
    IReadOnlyList<int> Connectors,
    string? Password,
    int? SecurityProfile = null
)
{
    public bool HasConnector(int connectorId) => Connectors.Contains(connectorId);

    /// <summary>
    /// OCPP security profile 0: the topology says so openly for this station, which has no password. A station with
    /// neither a password nor that choice is refused, so a forgotten password never opens a station to anyone.
    /// </summary>
    public bool AllowsUnauthenticatedConnection => Password is null && SecurityProfile == 0;

    /// <summary>OCPP security profile 3: the station proves who it is by a TLS client certificate naming it (no
    /// password).</summary>
    public bool RequiresClientCertificate => SecurityProfile == 3;

    // Keeps the password out of logs and exception messages that print the record.
    public override string ToString() =>
        $"StationDefinition {{ ChargePointId = {ChargePointId}, Connectors = "
        + $"[{string.Join(", ", Connectors)}], Password = "
        + $"{(Password is null ? "none" : "set")}"
        + (SecurityProfile is { } profile ? $", SecurityProfile = {profile} }}" : " }");
}

/// <summary>Price of one kWh in minor units of <see cref="Currency"/> (ISO 4217).</summary>
public sealed record Tariff(long PricePerKwhMinor, string Currency);
