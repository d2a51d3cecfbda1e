namespace ChargeLink.Domain.Groups;

/// <summary>
/// What the station last reported for a connector, since when (a repeat does not move it), and whether a session has
/// charged since: a Preparing that a session already used does not make the connector a candidate again (rule 16).
/// </summary>
public sealed record ConnectorReport(ConnectorStatus Status, DateTimeOffset Since, bool Charged)
{
    /// <summary>A Preparing no session has charged on: the connector is a candidate whenever it carries no
    /// session.</summary>
    public bool IsFreshPreparing => Status == ConnectorStatus.Preparing && !Charged;
}
