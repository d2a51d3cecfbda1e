namespace ChargeLink.Gateway.Stations;

/// <summary>The stations connected to this gateway instance, by chargePointId.</summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, StationConnection> _connections = new(StringComparer.Ordinal);

    public StationConnection? Find(string chargePointId) => _connections.GetValueOrDefault(chargePointId);

    /// <summary>Registers a connection; returns the one it replaces (a station that reconnected), if any.</summary>
    public StationConnection? Register(StationConnection connection)
    {
        StationConnection? replaced = null;
        _connections.AddOrUpdate(connection.ChargePointId, connection, (_, old) =>
        {
            replaced = old;
            return connection;
        });
        return replaced;
    }

    /// <summary>Removes the connection only if it is still the current one for its station; true if it was.</summary>
    public bool Remove(StationConnection connection) =>
        _connections.TryRemove(new KeyValuePair<string, StationConnection>(connection.ChargePointId, connection));

    public int Count => _connections.Count;

    /// <summary>The connections now (a moment's view: one may come or go meanwhile).</summary>
    public IEnumerable<StationConnection> All => _connections.Values;
}
