namespace ChargeLink.Domain.Groups;

/// <summary>
/// What the outside world tells a station group, already validated at the edge.
/// The decider turns a fact into the group's events; a fact is not stored, its events are.
/// </summary>
public abstract record GroupFact;

/// <summary>A StatusNotification for one connector. <paramref name="ReceivedAt"/> is the gateway's clock.</summary>
public sealed record ConnectorStatusReported(
    ConnectorRef Connector,
    ConnectorStatus Status,
    DateTimeOffset? StationTimestamp,
    DateTimeOffset ReceivedAt) : GroupFact;

/// <summary>A payment authorized at one of the group's terminals; it names no connector.</summary>
public sealed record PaymentAuthorizationArrived(
    string PaymentId,
    string TerminalId,
    Money Amount,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset ReceivedAt) : GroupFact;
