using System.Text.Json.Serialization;
using ChargeLink.Domain.Groups;
using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Gateway -> orchestrator: a station's StatusNotification for one connector. The status travels as its name (the
/// Domain has no serializer's attributes); the gateway validates it where it enters.
/// </summary>
[MessageUrn("chargelink:connector-status-changed:v1")]
[EntityName("chargelink.connector-status-changed.v1")]
public sealed record ConnectorStatusChanged(
    string GroupId,
    string ChargePointId,
    int ConnectorId,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ConnectorStatus>))] ConnectorStatus Status,
    string ErrorCode,
    DateTimeOffset? StationTimestamp,
    DateTimeOffset ReceivedAt
) : IGroupMessage;
