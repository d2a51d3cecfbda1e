using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>Gateway -> orchestrator: a station's StartTransaction, whatever its idTag.</summary>
/// <param name="MeterStartWh">
/// The session's start reading, within 0..the plausible register maximum; null when the station has told none yet (an
/// OCPP 2.x transaction whose events carried no energy register before the payment's token): then its first reading is
/// its start.
/// </param>
[MessageUrn("chargelink:transaction-started:v1")]
[EntityName("chargelink.transaction-started.v1")]
public sealed record TransactionStarted(
    string GroupId,
    string ChargePointId,
    int ConnectorId,
    string IdTag,
    int TransactionId,
    long? MeterStartWh,
    DateTimeOffset StationTimestamp,
    DateTimeOffset ReceivedAt
) : IGroupMessage;
