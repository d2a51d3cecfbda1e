using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Gateway -> the act's group: what the station said to an operator's act: its status (Unlocked, UnlockFailed,
/// Accepted, Rejected, ...) when it answered one, else the outcome (TimedOut, Offline, Failed).
/// </summary>
[MessageUrn("chargelink:operator-act-completed:v1")]
[EntityName("chargelink.operator-act-completed.v1")]
public sealed record OperatorActCompleted(
    string GroupId,
    string ActId,
    string ChargePointId,
    string Answer,
    DateTimeOffset ReceivedAt,
    string? PaymentId = null
) : IGroupMessage;
