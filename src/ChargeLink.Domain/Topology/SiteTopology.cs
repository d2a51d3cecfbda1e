namespace ChargeLink.Domain.Topology;

/// <summary>
/// The data model of the invention: terminal -> station group -> stations -> connectors.
/// Built only by <see cref="TopologyFile.Parse"/>, which guarantees the uniqueness rules these lookups rely on.
/// </summary>
public sealed class SiteTopology
{
    private readonly Dictionary<string, StationGroup> _groupsById;
    private readonly Dictionary<string, StationGroup> _groupsByTerminal;
    private readonly Dictionary<string, (StationGroup Group, StationDefinition Station)> _stations;

    internal SiteTopology(IReadOnlyList<StationGroup> groups)
    {
        Groups = groups;
        _groupsById = groups.ToDictionary(g => g.Id, StringComparer.Ordinal);
        _groupsByTerminal = groups
            .SelectMany(g => g.Terminals.Select(t => (t, g)))
            .ToDictionary(x => x.t, x => x.g, StringComparer.Ordinal);
        _stations = groups
            .SelectMany(g => g.Stations.Select(s => (s, g)))
            .ToDictionary(x => x.s.ChargePointId, x => (x.g, x.s), StringComparer.Ordinal);
    }

    public IReadOnlyList<StationGroup> Groups { get; }

    public StationGroup? FindGroup(string groupId) => _groupsById.GetValueOrDefault(groupId);

    /// <summary>Rule 1: a payment names a terminal; its station group comes from here.</summary>
    public StationGroup? GroupOfTerminal(string terminalId) => _groupsByTerminal.GetValueOrDefault(terminalId);

    public (StationGroup Group, StationDefinition Station)? FindStation(string chargePointId) =>
        _stations.TryGetValue(chargePointId, out var found) ? found : null;
}
