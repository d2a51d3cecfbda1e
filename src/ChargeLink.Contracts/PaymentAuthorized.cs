using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Payment adapter -> orchestrator: a signed, validated authorization from the payment cloud, already
/// mapped from its terminal to the terminal's station group. Carries no card data.
/// </summary>
[MessageUrn("chargelink:payment-authorized:v1")]
[EntityName("chargelink.payment-authorized.v1")]
public sealed record PaymentAuthorized(
    string GroupId,
    string PaymentId,
    string TerminalId,
    long AmountMinor,
    string Currency,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset ReceivedAt
) : IGroupMessage;
