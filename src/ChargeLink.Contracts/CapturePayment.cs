using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Orchestrator -> payment adapter: capture this payment. Exactly one capture or void exists per payment; its
/// MessageId is deterministic, and the adapter's instruction carries message_id "paymentId:payment.capture".
/// </summary>
[MessageUrn("chargelink:capture-payment:v1")]
[EntityName("chargelink.capture-payment.v1")]
public sealed record CapturePayment(
    string GroupId,
    string PaymentId,
    long AmountMinor,
    string Currency,
    long EnergyWh,
    string SessionId
) : IGroupCommand;
