using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Payment adapter -> orchestrator: the driver cancelled at the terminal. The payment cloud names only the
/// payment, so the orchestrator finds its group before the group's saga sees it (<see
/// cref="PaymentCancellationRouted"/>).
/// </summary>
[MessageUrn("chargelink:payment-cancelled-at-terminal:v1")]
[EntityName("chargelink.payment-cancelled-at-terminal.v1")]
public sealed record PaymentCancelledAtTerminal(string PaymentId, DateTimeOffset ReceivedAt);

/// <summary>Orchestrator -> its group saga: a cancellation, now with the group its payment belongs to.</summary>
[MessageUrn("chargelink:payment-cancellation-routed:v1")]
[EntityName("chargelink.payment-cancellation-routed.v1")]
public sealed record PaymentCancellationRouted(string GroupId, string PaymentId, DateTimeOffset ReceivedAt)
    : IGroupMessage;
