using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>Orchestrator -> payment adapter: void this payment, for one of the documented reasons.</summary>
[MessageUrn("chargelink:void-payment:v1")]
[EntityName("chargelink.void-payment.v1")]
public sealed record VoidPayment(string GroupId, string PaymentId, string Reason) : IGroupCommand;
