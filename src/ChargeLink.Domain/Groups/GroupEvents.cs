namespace ChargeLink.Domain.Groups;

/// <summary>
/// The events of one station group's stream: the only truth about it. Small, immutable, append-only;
/// a stored event's shape is never changed, a new version gets a new name.
/// </summary>
public interface IGroupEvent;

/// <summary>Rule 3: the connector became a candidate (moved to Preparing: cable in, no transaction).</summary>
/// <param name="OccupiedAt">When the gateway received the notification: the clock candidates are ordered by.</param>
/// <param name="StationTimestamp">What the station claimed, kept for the record only.</param>
public sealed record ConnectorOccupied(
    string ChargePointId,
    int ConnectorId,
    DateTimeOffset OccupiedAt,
    DateTimeOffset? StationTimestamp) : IGroupEvent;

/// <summary>Rule 7: the candidate left (unplugged, unavailable, faulted, or busy by other means).</summary>
public sealed record ConnectorVacated(
    string ChargePointId,
    int ConnectorId,
    ConnectorStatus Status,
    DateTimeOffset At) : IGroupEvent;

/// <summary>Rules 1-2: an authorized payment reached the group of its terminal and waits for a connector.</summary>
public sealed record PaymentAuthorizationReceived(
    string PaymentId,
    string TerminalId,
    long AmountMinor,
    string Currency,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset ReceivedAt) : IGroupEvent;

/// <summary>Rules 4 and 6: a candidate and a payment were paired; the station is asked to start.</summary>
public sealed record ChargingStartRequested(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    string IdTag,
    DateTimeOffset RequestedAt) : IGroupEvent;

/// <summary>The driver cancelled a payment that had not started charging: it is dropped, with no void (rule 5).</summary>
public sealed record PaymentCancelled(string PaymentId, DateTimeOffset At) : IGroupEvent;

/// <summary>The station accepted RemoteStartTransaction; a StartTransaction is now expected (rule 9).</summary>
public sealed record RemoteStartAccepted(string PaymentId, string ChargePointId, int ConnectorId, DateTimeOffset At) : IGroupEvent;

/// <summary>
/// Rule 8: the station refused, was offline or did not answer. The payment waits again and never tries this
/// connector again; the connector is a candidate again for other payments unless its station is offline.
/// </summary>
public sealed record RemoteStartFailed(string PaymentId, string ChargePointId, int ConnectorId, RemoteStartOutcome Outcome, DateTimeOffset At) : IGroupEvent;

/// <summary>
/// Rule 8 when the answer was lost: the station started with the payment's idTag on the connector whose start had been
/// counted as failed (it had not answered, or its answer went astray), while the payment still waited for another. The
/// car charges on this payment: the payment goes back to that connector, as if the station had accepted.
/// </summary>
public sealed record RemoteStartConfirmedLate(string PaymentId, string ChargePointId, int ConnectorId, string IdTag, DateTimeOffset At) : IGroupEvent;

/// <summary>
/// Rule 15: the station rebooted before charging began on a start it had been asked for. The start is lost, not refused:
/// the payment waits again in its place and may use this connector again once it reports Preparing anew.
/// </summary>
public sealed record RemoteStartLost(string PaymentId, string ChargePointId, int ConnectorId, DateTimeOffset At) : IGroupEvent;

/// <summary>Rule 9: StartTransaction with the payment's idTag arrived on the chosen connector.</summary>
public sealed record ChargingStarted(string PaymentId, string ChargePointId, int ConnectorId, int TransactionId, long MeterStartWh, DateTimeOffset At) : IGroupEvent;

/// <summary>Rule 10: StopTransaction ended the session; energy = meterStop - meterStart.</summary>
public sealed record ChargingStopped(string PaymentId, string ChargePointId, int ConnectorId, int TransactionId, long MeterStopWh, long EnergyWh, DateTimeOffset At) : IGroupEvent;

/// <summary>Rules 10-11: the payment is to be captured for this amount (energy x tariff, never above the hold).</summary>
public sealed record PaymentCaptureRequested(string PaymentId, long AmountMinor, string Currency, long EnergyWh, string SessionId, DateTimeOffset At) : IGroupEvent;

/// <summary>Rule 11: the payment is to be voided; <paramref name="Reason"/> is one of <see cref="VoidReason"/>.</summary>
public sealed record PaymentVoidRequested(string PaymentId, string Reason, DateTimeOffset At) : IGroupEvent;

/// <summary>
/// A status that changes no candidacy, recorded so that an older status delivered later is recognised as stale
/// (rule 7 under reordering) and so that auditors see every status the station reported.
/// </summary>
public sealed record ConnectorStatusNoted(string ChargePointId, int ConnectorId, ConnectorStatus Status, DateTimeOffset At) : IGroupEvent;

/// <summary>
/// Rule 12: a meter reading of a charging session (at most one per <see cref="GroupPolicy.MeterReadingInterval"/>), kept so
/// that a session whose station never reports its stop can be settled for the energy it is known to have delivered.
/// </summary>
public sealed record MeterReadingNoted(string PaymentId, string ChargePointId, int ConnectorId, int TransactionId, long MeterWh, DateTimeOffset At) : IGroupEvent;

/// <summary>Rule 12: the session has charged longer than the bound without StopTransaction; the station is asked to stop.</summary>
public sealed record ChargingOverdue(string PaymentId, string ChargePointId, int ConnectorId, int TransactionId, DateTimeOffset ChargingSince, DateTimeOffset At) : IGroupEvent;

/// <summary>
/// Rule 12: no StopTransaction came within the grace after the stop request: the session ends at the last meter reading
/// ChargeLink holds (meterStart if none), and is settled for that energy.
/// </summary>
public sealed record ChargingEndedWithoutStop(string PaymentId, string ChargePointId, int ConnectorId, int TransactionId, long MeterStopWh, long EnergyWh, DateTimeOffset At) : IGroupEvent;

/// <summary>A StopTransaction that overtook its StartTransaction: kept until the start arrives, then applied.</summary>
public sealed record TransactionStopNoted(string ChargePointId, int TransactionId, long MeterStopWh, DateTimeOffset At) : IGroupEvent;

/// <summary>
/// A station started a transaction with the idTag of a payment that was cancelled meanwhile, or that is no longer this
/// connector's (its start timed out and it moved on, or it was settled): nobody pays for it, so the station is asked to
/// stop (RemoteStopTransaction). One payment never charges on two connectors (rule 6).
/// </summary>
public sealed record ChargingStopRequested(string PaymentId, string ChargePointId, int ConnectorId, int TransactionId, DateTimeOffset At) : IGroupEvent;
