using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Gateway -> orchestrator: a station's StatusNotification for one connector.
/// <paramref name="Status"/> is the OCPP 1.6 ChargePointStatus, already validated by the gateway.
/// </summary>
[MessageUrn("chargelink:connector-status-changed:v1")]
[EntityName("chargelink.connector-status-changed.v1")]
public sealed record ConnectorStatusChanged(
    string GroupId,
    string ChargePointId,
    int ConnectorId,
    string Status,
    string ErrorCode,
    DateTimeOffset? StationTimestamp,
    DateTimeOffset ReceivedAt) : IGroupMessage;
