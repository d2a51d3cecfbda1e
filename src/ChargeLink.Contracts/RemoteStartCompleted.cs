using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Gateway -> orchestrator: what became of a StartCharging.
/// </summary>
[MessageUrn("chargelink:remote-start-completed:v1")]
[EntityName("chargelink.remote-start-completed.v1")]
public sealed record RemoteStartCompleted(
    string GroupId,
    string ChargePointId,
    int ConnectorId,
    string PaymentId,
    CommandOutcome Outcome,
    DateTimeOffset ReceivedAt
) : IGroupMessage;
