using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Orchestrator -> gateway holding the station: stop this transaction (RemoteStopTransaction), for an overdue session
/// (rule 12) or for an operator's act (<paramref name="ActId"/>, whose answer goes back as
/// <see cref="OperatorActCompleted"/>).
/// </summary>
[MessageUrn("chargelink:stop-charging:v1")]
[EntityName("chargelink.stop-charging.v1")]
public sealed record StopCharging(
    string GroupId,
    string ChargePointId,
    int ConnectorId,
    int TransactionId,
    string PaymentId,
    string? ActId = null
) : IGroupCommand, IStationCommand;

/// <summary>Gateway -> anyone interested: what became of a StopCharging (Accepted, Rejected, TimedOut, Failed,
/// Offline).</summary>
[MessageUrn("chargelink:remote-stop-completed:v1")]
[EntityName("chargelink.remote-stop-completed.v1")]
public sealed record RemoteStopCompleted(
    string GroupId,
    string ChargePointId,
    int TransactionId,
    CommandOutcome Outcome,
    DateTimeOffset At
);
