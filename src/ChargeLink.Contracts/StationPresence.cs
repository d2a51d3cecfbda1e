using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>Gateway -> anyone interested: a station's WebSocket is up, on the gateway instance named.</summary>
[MessageUrn("chargelink:station-connected:v1")]
[EntityName("chargelink.station-connected.v1")]
public sealed record StationConnected(string GroupId, string ChargePointId, string Gateway, DateTimeOffset At);

/// <summary>Gateway -> anyone interested: a station's WebSocket is gone (and it has no newer one there).</summary>
[MessageUrn("chargelink:station-disconnected:v1")]
[EntityName("chargelink.station-disconnected.v1")]
public sealed record StationDisconnected(string GroupId, string ChargePointId, string Gateway, DateTimeOffset At);
