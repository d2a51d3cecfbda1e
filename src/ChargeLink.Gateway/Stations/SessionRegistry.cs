using System.Collections.Concurrent;

namespace ChargeLink.Gateway.Stations;

/// <summary>The stations connected to this gateway instance, by chargePointId.</summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, StationSession> _sessions = new(StringComparer.Ordinal);

    public StationSession? Find(string chargePointId) => _sessions.GetValueOrDefault(chargePointId);

    /// <summary>Registers a session; returns the one it replaces (a station that reconnected), if any.</summary>
    public StationSession? Register(StationSession session)
    {
        StationSession? replaced = null;
        _sessions.AddOrUpdate(session.ChargePointId, session, (_, old) =>
        {
            replaced = old;
            return session;
        });
        return replaced;
    }

    /// <summary>Removes the session only if it is still the current one for its station; true if it was.</summary>
    public bool Remove(StationSession session) =>
        _sessions.TryRemove(new KeyValuePair<string, StationSession>(session.ChargePointId, session));

    public int Count => _sessions.Count;
}
