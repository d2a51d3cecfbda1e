using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Gateway -> orchestrator: a station's StatusNotification for one connector.
/// </summary>
[MessageUrn("chargelink:connector-status-changed:v1")]
[EntityName("chargelink.connector-status-changed.v1")]
public sealed record ConnectorStatusChanged(
    string GroupId,
    string ChargePointId,
    int ConnectorId,
    ConnectorState Status,
    string ErrorCode,
    DateTimeOffset? StationTimestamp,
    DateTimeOffset ReceivedAt
) : IGroupMessage;
