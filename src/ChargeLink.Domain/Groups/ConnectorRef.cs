namespace ChargeLink.Domain.Groups;

/// <summary>One connector of one station: the unit the invention starts charging on.</summary>
public readonly record struct ConnectorRef(string ChargePointId, int ConnectorId)
{
    /// <summary>
    /// Station id (ordinal), then connector id. The decider breaks ties of time with it wherever it walks a dictionary,
    /// whose order follows the process's string hash seed: two instances deciding the same fact must write the same
    /// events in the same order.
    /// </summary>
    public static IComparer<ConnectorRef> Order { get; } =
        Comparer<ConnectorRef>.Create(
            static (a, b) =>
                string.CompareOrdinal(a.ChargePointId, b.ChargePointId) is var byStation and not 0
                    ? byStation
                    : a.ConnectorId.CompareTo(b.ConnectorId)
        );

    public override string ToString() => $"{ChargePointId}/{ConnectorId}";
}
