namespace ChargeLink.ServiceDefaults;

/// <summary>
/// Whether each station is connected, as the gateways record it in PostgreSQL (table <see cref="Name"/> in the Marten
/// schema) and the orchestrator's read API shows it. A gateway sets a station connected when it serves it, disconnected
/// when the connection ends, and refreshes <c>seen_at</c> of all it serves every <see cref="Refresh"/>: a row not
/// refreshed within <see cref="SeenWithin"/> is a gateway that died with the connection, so the station is offline.
/// </summary>
public static class StationPresenceTable
{
    public const string Name = "chargelink_station_presence";
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan SeenWithin = TimeSpan.FromSeconds(90);
}
