using ChargeLink.Domain.Topology;

namespace ChargeLink.Domain.Groups;

/// <summary>The group's tariff and the bounds the decider enforces.</summary>
/// <param name="PaymentWait">How long an authorized payment waits for an occupied connector (rule 5).</param>
/// <param name="RemoteStartAnswerTimeout">How long the station may take to answer RemoteStartTransaction (rule 8).</param>
/// <param name="TransactionStartTimeout">How long after Accepted the StartTransaction may take (rule 9).</param>
public sealed record GroupPolicy(Tariff Tariff, TimeSpan PaymentWait, TimeSpan RemoteStartAnswerTimeout, TimeSpan TransactionStartTimeout)
{
    public static readonly TimeSpan DefaultPaymentWait = TimeSpan.FromSeconds(180);
    public static readonly TimeSpan DefaultRemoteStartAnswerTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultTransactionStartTimeout = TimeSpan.FromSeconds(120);
}
