using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>Gateway -> orchestrator: a station's StartTransaction, whatever its idTag.</summary>
[MessageUrn("chargelink:transaction-started:v1")]
[EntityName("chargelink.transaction-started.v1")]
public sealed record TransactionStarted(
    string GroupId,
    string ChargePointId,
    int ConnectorId,
    string IdTag,
    int TransactionId,
    long MeterStartWh,
    DateTimeOffset StationTimestamp,
    DateTimeOffset ReceivedAt) : IGroupMessage;
