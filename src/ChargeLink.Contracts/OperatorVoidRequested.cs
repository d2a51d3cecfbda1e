using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Orchestrator's write API -> the payment's group: an operator voids a payment that waits for a connector. The group
/// decides (it may have started meanwhile); the operator's name and reason go on the record.
/// </summary>
[MessageUrn("chargelink:operator-void-requested:v1")]
[EntityName("chargelink.operator-void-requested.v1")]
public sealed record OperatorVoidRequested(
    string GroupId,
    string PaymentId,
    string Operator,
    string Reason,
    DateTimeOffset ReceivedAt
) : IGroupMessage;
