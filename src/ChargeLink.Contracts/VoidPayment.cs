using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>Orchestrator -> payment adapter: void this payment, for one of the documented reasons; when <paramref
/// name="OnlyIfUnsettled"/>, only if the adapter's ledger holds no instruction for it yet (an authorization that
/// reached its group past the retention period: a late one, or a settled one the group forgot).</summary>
[MessageUrn("chargelink:void-payment:v1")]
[EntityName("chargelink.void-payment.v1")]
public sealed record VoidPayment(string GroupId, string PaymentId, string Reason, bool OnlyIfUnsettled = false)
    : IGroupCommand;
