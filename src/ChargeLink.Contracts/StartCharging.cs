using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Orchestrator -> gateway: start charging on this connector for this payment (RemoteStartTransaction).
/// Its MessageId is deterministic (<see cref="GroupCorrelation.CommandId"/>), so a repeat can be dropped.
/// </summary>
[MessageUrn("chargelink:start-charging:v1")]
[EntityName("chargelink.start-charging.v1")]
public sealed record StartCharging(
    string GroupId,
    string ChargePointId,
    int ConnectorId,
    string PaymentId,
    string IdTag,
    DateTimeOffset RequestedAt) : IPaymentCommand;
