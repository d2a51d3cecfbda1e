using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Orchestrator -> gateway: start charging on this connector for this payment (RemoteStartTransaction).
/// Its MessageId is deterministic (<see cref="GroupCorrelation.CommandId"/>), so a repeat can be dropped.
/// </summary>
/// <param name="HeldAmountMinor">
/// What the payment holds, in minor units, when the sender knows it (the decision does; the relay's copy, rebuilt from
/// the stream's events, does not): a 2.1 station is told the energy that amount buys. The capture is capped at the
/// hold whether or not the station was told.
/// </param>
[MessageUrn("chargelink:start-charging:v1")]
[EntityName("chargelink.start-charging.v1")]
public sealed record StartCharging(
    string GroupId,
    string ChargePointId,
    int ConnectorId,
    string PaymentId,
    string IdTag,
    DateTimeOffset RequestedAt,
    long? HeldAmountMinor = null
) : IGroupCommand, IStationCommand;
