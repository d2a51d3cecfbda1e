using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>Gateway -> orchestrator: a station's StopTransaction.</summary>
[MessageUrn("chargelink:transaction-stopped:v1")]
[EntityName("chargelink.transaction-stopped.v1")]
public sealed record TransactionStopped(
    string GroupId,
    string ChargePointId,
    int TransactionId,
    long MeterStopWh,
    DateTimeOffset StationTimestamp,
    DateTimeOffset ReceivedAt
) : IGroupMessage;
