namespace ChargeLink.Domain.Groups;

/// <summary>
/// The events of one station group's stream: the only truth about it. Small, immutable, append-only;
/// a stored event's shape is never changed, a new version gets a new name.
/// </summary>
public interface IGroupEvent;

/// <summary>Rule 3: the connector became a candidate (moved to Preparing: cable in, no transaction).</summary>
/// <param name="OccupiedAt">When the gateway received the notification: the clock candidates are ordered by.</param>
/// <param name="StationTimestamp">What the station claimed, kept for the record only.</param>
public sealed record ConnectorOccupied(
    string ChargePointId,
    int ConnectorId,
    DateTimeOffset OccupiedAt,
    DateTimeOffset? StationTimestamp) : IGroupEvent;

/// <summary>Rule 7: the candidate left (unplugged, unavailable, faulted, or busy by other means).</summary>
public sealed record ConnectorVacated(
    string ChargePointId,
    int ConnectorId,
    ConnectorStatus Status,
    DateTimeOffset At) : IGroupEvent;

/// <summary>Rules 1-2: an authorized payment reached the group of its terminal and waits for a connector.</summary>
public sealed record PaymentAuthorizationReceived(
    string PaymentId,
    string TerminalId,
    long AmountMinor,
    string Currency,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset ReceivedAt) : IGroupEvent;

/// <summary>Rules 4 and 6: a candidate and a payment were paired; the station is asked to start.</summary>
public sealed record ChargingStartRequested(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    string IdTag,
    DateTimeOffset RequestedAt) : IGroupEvent;
