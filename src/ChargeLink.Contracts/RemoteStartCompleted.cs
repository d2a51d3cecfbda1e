using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Gateway -> orchestrator: what became of a StartCharging. <paramref name="Outcome"/> is Accepted, Rejected,
/// Offline (the station is connected nowhere), TimedOut (no answer in time) or Failed (a CALLERROR).
/// </summary>
[MessageUrn("chargelink:remote-start-completed:v1")]
[EntityName("chargelink.remote-start-completed.v1")]
public sealed record RemoteStartCompleted(
    string GroupId,
    string ChargePointId,
    int ConnectorId,
    string PaymentId,
    string Outcome,
    DateTimeOffset ReceivedAt) : IGroupMessage;
