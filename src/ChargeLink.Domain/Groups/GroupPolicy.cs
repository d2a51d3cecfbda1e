using ChargeLink.Domain.Topology;

namespace ChargeLink.Domain.Groups;

/// <summary>The group's tariff and the bounds the decider enforces.</summary>
/// <param name="PaymentWait">How long an authorized payment waits for an occupied connector (rule 5).</param>
/// <param name="RemoteStartAnswerTimeout">How long the station may take to answer RemoteStartTransaction (rule 8).</param>
/// <param name="TransactionStartTimeout">How long after Accepted the StartTransaction may take (rule 9).</param>
public sealed record GroupPolicy(Tariff Tariff, TimeSpan PaymentWait, TimeSpan RemoteStartAnswerTimeout, TimeSpan TransactionStartTimeout)
{
    /// <summary>Rule 12: how long a session may charge without StopTransaction before it is overdue and the station is asked to stop.</summary>
    public TimeSpan MaxChargingDuration { get; init; } = DefaultMaxChargingDuration;

    /// <summary>Rule 12: how long after that request the StopTransaction may take before the session is settled without it.</summary>
    public TimeSpan StopGrace { get; init; } = DefaultStopGrace;

    /// <summary>Rule 12: meter readings during a session are kept at most this often (the last one settles an unreported stop).</summary>
    public static readonly TimeSpan MeterReadingInterval = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan DefaultMaxChargingDuration = TimeSpan.FromHours(24);
    public static readonly TimeSpan DefaultStopGrace = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan DefaultPaymentWait = TimeSpan.FromSeconds(180);
    public static readonly TimeSpan DefaultRemoteStartAnswerTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultTransactionStartTimeout = TimeSpan.FromSeconds(120);
}
