using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>Gateway -> orchestrator: a station's StopTransaction. <paramref name="MeterStopUnknown"/>: the station
/// gave no reading at the end and the gateway knows none (a 2.x Ended without one, after a gateway restart); the group
/// then ends the session at its own last reading, and <paramref name="MeterStopWh"/> means nothing.</summary>
[MessageUrn("chargelink:transaction-stopped:v1")]
[EntityName("chargelink.transaction-stopped.v1")]
public sealed record TransactionStopped(
    string GroupId,
    string ChargePointId,
    int TransactionId,
    long MeterStopWh,
    DateTimeOffset StationTimestamp,
    DateTimeOffset ReceivedAt,
    bool MeterStopUnknown = false
) : IGroupMessage;
