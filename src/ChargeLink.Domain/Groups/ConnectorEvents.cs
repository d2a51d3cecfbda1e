namespace ChargeLink.Domain.Groups;

/// <summary>Rule 2: the connector became a candidate (moved to Preparing: cable in, no transaction).</summary>
/// <param name="OccupiedAt">When the gateway received the notification: the clock candidates are ordered by.</param>
/// <param name="StationTimestamp">What the station claimed, kept for the record only.</param>
[StoredName("connector_occupied_v1")]
public sealed record ConnectorOccupied(
    string ChargePointId,
    int ConnectorId,
    DateTimeOffset OccupiedAt,
    DateTimeOffset? StationTimestamp
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new("connector occupied", "Preparing: cable in, waits for a payment (rules 2 and 4)");
}

/// <summary>Rule 7: the candidate left (unplugged, unavailable, faulted, or busy by other means).</summary>
[StoredName("connector_vacated_v1")]
public sealed record ConnectorVacated(string ChargePointId, int ConnectorId, ConnectorStatus Status, DateTimeOffset At)
    : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() => new("connector left", $"now {Status}: no longer a candidate (rule 7)");
}

/// <summary>
/// A status that changes no candidacy, recorded so that an older status delivered later is recognised as stale (README,
/// below the rules) and so that auditors see every status the station reported.
/// </summary>
[StoredName("connector_status_noted_v1")]
public sealed record ConnectorStatusNoted(
    string ChargePointId,
    int ConnectorId,
    ConnectorStatus Status,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() => new("status noted", Status.ToString(), EventWeight.Routine);
}

/// <summary>
/// An operator took the connector out of service (issue 29; the act is the <see cref="OperatorActed"/> before it): it
/// is no candidate from now on, whatever it reports and whatever the station answered the ChangeAvailability, until it
/// is returned. A session already on it goes on by the usual rules.
/// </summary>
[StoredName("connector_taken_out_of_service_v1")]
public sealed record ConnectorTakenOutOfService(
    string ChargePointId,
    int ConnectorId,
    string ActId,
    string Operator,
    string Reason,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new("out of service", $"taken out of service by {Operator} ({Reason}): never a candidate until returned");
}

/// <summary>An operator returned the connector to service: a Preparing no session has used makes it a candidate again,
/// in the place of that report (rule 16).</summary>
[StoredName("connector_returned_to_service_v1")]
public sealed record ConnectorReturnedToService(
    string ChargePointId,
    int ConnectorId,
    string ActId,
    string Operator,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() => new("back in service", $"returned to service by {Operator}");
}
