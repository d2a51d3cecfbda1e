using ChargeLink.Domain.Topology;

namespace ChargeLink.Domain.Groups;

/// <summary>The group's tariff and the bounds the decider enforces.</summary>
/// <param name="PaymentWait">How long an authorized payment waits for an occupied connector (rule 5).</param>
/// <param name="RemoteStartAnswerTimeout">How long the station may take to answer RemoteStartTransaction (rule
/// 8).</param>
/// <param name="TransactionStartTimeout">How long after Accepted the StartTransaction may take (rule 9).</param>
public sealed record GroupPolicy(
    Tariff Tariff,
    TimeSpan PaymentWait,
    TimeSpan RemoteStartAnswerTimeout,
    TimeSpan TransactionStartTimeout
)
{
    /// <summary>Rule 12: how long a session may charge without StopTransaction before it is overdue and the station is
    /// asked to stop.</summary>
    public TimeSpan MaxChargingDuration { get; init; } = DefaultMaxChargingDuration;

    /// <summary>Rule 12: how long after that request the StopTransaction may take before the session is settled without
    /// it.</summary>
    public TimeSpan StopGrace { get; init; } = DefaultStopGrace;

    /// <summary>
    /// The connectors of the group's topology: only these become candidates or carry a session. Null places no bound
    /// (the decider's own unit tests); the orchestrator always gives the topology's.
    /// </summary>
    public ImmutableHashSet<ConnectorRef>? Connectors { get; init; }

    /// <summary>
    /// False for a group that left the topology: its waiting payments and the starts not yet charging are voided (<see
    /// cref="VoidReason.GroupRemoved"/>), sessions already charging settle by the usual rules, and nothing new starts.
    /// </summary>
    public bool InTopology { get; init; } = true;

    /// <summary>The largest hold a payment may carry, in minor units of the tariff's currency (rule 8: held at the door
    /// too).</summary>
    public long MaxHoldMinor { get; init; } = DefaultMaxHoldMinor;

    /// <summary>
    /// Rule 8: the most power a connector is believed to deliver. A session whose readings show more energy than this
    /// over its time (counted as at least <see cref="MinimumPlausibleDuration"/>) is implausible and voided.
    /// </summary>
    public long MaxConnectorPowerW { get; init; } = DefaultMaxConnectorPowerW;

    /// <summary>
    /// The deployment's secret that payments' idTags are keyed with (<see cref="IdTag.ForPayment"/>). The orchestrator
    /// gives one it generated and keeps in PostgreSQL; empty only in the decider's own unit tests.
    /// </summary>
    public ReadOnlyMemory<byte> IdTagKey { get; init; }

    /// <summary>
    /// The retention rule: how long after it was authorized a payment may still be accepted, and how long after it was
    /// settled (and authorized) the group remembers it. The payment adapter refuses an authorization older than its
    /// window at the door; this is that window plus a margin (README: the retention rule).
    /// </summary>
    public TimeSpan Retention { get; init; } = DefaultRetention;

    /// <summary>The retention rule's other half: an authorization this old is accepted by no one, so nothing about it
    /// can start.</summary>
    public bool IsBeyondRetention(DateTimeOffset authorizedAt, DateTimeOffset now) => authorizedAt + Retention <= now;

    /// <summary>Whether <paramref name="connector"/> is one of the topology's connectors of this group.</summary>
    public bool Serves(ConnectorRef connector) => InTopology && (Connectors is null || Connectors.Contains(connector));

    /// <summary>Whether the group has this station (any of its connectors).</summary>
    public bool ServesStation(string chargePointId) =>
        InTopology && (Connectors is null || Connectors.Any(c => c.ChargePointId == chargePointId));

    /// <summary>The policy of a group that left the topology: what a running session needs to settle, nothing to
    /// start.</summary>
    public static GroupPolicy Removed(GroupPolicy defaults) => defaults with { InTopology = false, Connectors = [] };

    /// <summary>Rule 12: meter readings during a session are kept at most this often (the last one settles an
    /// unreported stop).</summary>
    public static readonly TimeSpan MeterReadingInterval = TimeSpan.FromMinutes(5);

    public const long DefaultMaxHoldMinor = 50_000;
    public const long DefaultMaxConnectorPowerW = 400_000;

    /// <summary>A session's time, for the power bound, is never counted as less than this: a quick test session is not
    /// suspect.</summary>
    public static readonly TimeSpan MinimumPlausibleDuration = TimeSpan.FromHours(1);

    public static readonly TimeSpan DefaultRetention = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan DefaultMaxChargingDuration = TimeSpan.FromHours(24);
    public static readonly TimeSpan DefaultStopGrace = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan DefaultPaymentWait = TimeSpan.FromSeconds(180);
    public static readonly TimeSpan DefaultRemoteStartAnswerTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultTransactionStartTimeout = TimeSpan.FromSeconds(120);
}
