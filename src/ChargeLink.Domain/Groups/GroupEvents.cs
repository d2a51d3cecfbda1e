namespace ChargeLink.Domain.Groups;

/// <summary>
/// The events of one station group's stream: the only truth about it. Small, immutable, append-only; a stored event's
/// shape is never changed, a new version gets a new stored name. Everything else there is to know about an event sits
/// beside its record: its stored name (<see cref="StoredNameAttribute"/>), the payment and connector it concerns, and
/// what it means in an operator's words, from which the log lines, the timeline and the payment's story are written.
/// Rule numbers are README's ("What ChargeLink does at your site, rule by rule").
/// </summary>
public interface IGroupEvent
{
    /// <summary>The payment the event concerns, if any.</summary>
    string? PaymentId => null;

    /// <summary>The connector the event concerns, if any.</summary>
    ConnectorRef? Connector => null;

    /// <summary>What happened, in an operator's words.</summary>
    EventDescription Describe();
}

// The members of IGroupEvent that are not positional properties are implemented explicitly, so that they are never
// serialized into the stored event: the stored shape is the record's parameters and nothing else.

/// <summary>Rule 2: the connector became a candidate (moved to Preparing: cable in, no transaction).</summary>
/// <param name="OccupiedAt">When the gateway received the notification: the clock candidates are ordered by.</param>
/// <param name="StationTimestamp">What the station claimed, kept for the record only.</param>
[StoredName("connector_occupied_v1")]
public sealed record ConnectorOccupied(
    string ChargePointId,
    int ConnectorId,
    DateTimeOffset OccupiedAt,
    DateTimeOffset? StationTimestamp
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new("connector occupied", "Preparing: cable in, waits for a payment (rules 2 and 4)");
}

/// <summary>Rule 7: the candidate left (unplugged, unavailable, faulted, or busy by other means).</summary>
[StoredName("connector_vacated_v1")]
public sealed record ConnectorVacated(string ChargePointId, int ConnectorId, ConnectorStatus Status, DateTimeOffset At)
    : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() => new("connector left", $"now {Status}: no longer a candidate (rule 7)");
}

/// <summary>
/// Rules 1 and 5: an authorized payment reached the group of its terminal and waits for a connector.
/// <paramref name="PricePerKwhMinor"/> is the tariff when it arrived: the price its session is settled at, even if the
/// topology changes or drops the group meanwhile (absent from events written before it was recorded).
/// </summary>
[StoredName("payment_authorization_received_v1")]
public sealed record PaymentAuthorizationReceived(
    string PaymentId,
    string TerminalId,
    long AmountMinor,
    string Currency,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset ReceivedAt,
    long? PricePerKwhMinor = null
) : IGroupEvent
{
    public EventDescription Describe() =>
        new("payment authorized", $"{Money.Describe(AmountMinor, Currency)} held, tapped at terminal {TerminalId}");
}

/// <summary>Rules 3 and 6: a candidate and a payment were paired; the station is asked to start.</summary>
[StoredName("charging_start_requested_v1")]
public sealed record ChargingStartRequested(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    string IdTag,
    DateTimeOffset RequestedAt
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new("start requested", $"RemoteStartTransaction, idTag {IdTag} (rules 3 and 6)");
}

/// <summary>Rule 5: the driver cancelled a payment that had not started charging: it is dropped, with no
/// void.</summary>
[StoredName("payment_cancelled_v1")]
public sealed record PaymentCancelled(string PaymentId, DateTimeOffset At) : IGroupEvent
{
    public EventDescription Describe() =>
        new(
            "payment cancelled",
            "the driver cancelled at the terminal before charging: dropped, no instruction (rule 5)"
        );
}

/// <summary>Rule 9: the station accepted RemoteStartTransaction; a StartTransaction is now expected.</summary>
[StoredName("remote_start_accepted_v1")]
public sealed record RemoteStartAccepted(string PaymentId, string ChargePointId, int ConnectorId, DateTimeOffset At)
    : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new("start accepted", "the station accepted the remote start; its StartTransaction must follow (rule 9)");
}

/// <summary>
/// Rules 8 and 14: the station refused, was offline or did not answer, or the connector failed before charging began.
/// The payment waits again and never tries this connector again; the connector is a candidate again for other payments
/// unless its station is offline.
/// </summary>
[StoredName("remote_start_failed_v1")]
public sealed record RemoteStartFailed(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    RemoteStartOutcome Outcome,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new(
            "start failed",
            (
                Outcome == RemoteStartOutcome.ConnectorUnavailable
                    ? "the connector became Faulted or Unavailable before charging began (rule 14)"
                    : $"the station answered {Outcome} (rule 8)"
            ) + "; the payment went back to waiting for the next candidate",
            EventWeight.Anomaly
        );
}

/// <summary>
/// Rule 8 when the answer was lost: the station started with the payment's idTag on the connector whose start had been
/// counted as failed (it had not answered, or its answer went astray), while the payment still waited for another. The
/// car charges on this payment: the payment goes back to that connector, as if the station had accepted.
/// </summary>
[StoredName("remote_start_confirmed_late_v1")]
public sealed record RemoteStartConfirmedLate(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    string IdTag,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new(
            "start confirmed late",
            "the station started with the payment's idTag after its start had been counted as "
                + "failed (the answer went astray); the payment, still waiting, went back to it "
                + "(rule 8)",
            EventWeight.Anomaly
        );
}

/// <summary>
/// Rule 15: the station rebooted before charging began on a start it had been asked for. The start is lost, not
/// refused: the payment waits again in its place, kept for this connector alone: it restarts there once the connector
/// reports Preparing anew, and is voided if the connector reports Available (the car left) or nothing comes within the
/// payment wait.
/// </summary>
[StoredName("remote_start_lost_v1")]
public sealed record RemoteStartLost(string PaymentId, string ChargePointId, int ConnectorId, DateTimeOffset At)
    : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new(
            "start lost",
            "the station rebooted before charging began: the start was lost, not refused; the "
                + "payment waits again, kept for this connector alone, and restarts there once it "
                + "reports Preparing anew (rule 15)",
            EventWeight.Anomaly
        );
}

/// <summary>
/// Rule 9: StartTransaction with the payment's idTag arrived on the chosen connector. <paramref name="MeterStartWh"/>
/// is null when the station had told no reading yet: the session's first reading is then its start.
/// </summary>
[StoredName("charging_started_v1")]
public sealed record ChargingStarted(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    int TransactionId,
    long? MeterStartWh,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new(
            "charging started",
            MeterStartWh is { } start
                ? $"transaction {TransactionId}, meter {start} Wh"
                : $"transaction {TransactionId}, no meter reading yet (the first one is the start)"
        );
}

/// <summary>Rule 10: StopTransaction ended the session; energy = meterStop - meterStart.</summary>
[StoredName("charging_stopped_v1")]
public sealed record ChargingStopped(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    int TransactionId,
    long MeterStopWh,
    long EnergyWh,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new(
            "charging stopped",
            $"transaction {TransactionId}, meter {MeterStopWh} Wh, {EnergyWh} Wh delivered (rule 10)"
        );
}

/// <summary>Rules 10 and 11: the payment is to be captured for this amount (energy x tariff, never above the
/// hold).</summary>
[StoredName("payment_capture_requested_v1")]
public sealed record PaymentCaptureRequested(
    string PaymentId,
    long AmountMinor,
    string Currency,
    long EnergyWh,
    string SessionId,
    DateTimeOffset At
) : IGroupEvent
{
    public EventDescription Describe() =>
        new(
            "capture",
            $"{Money.Describe(AmountMinor, Currency)} for {EnergyWh} Wh (session {SessionId}; rules 10 and 11)"
        );
}

/// <summary>Rule 11: the payment is to be voided; <paramref name="Reason"/> is one of <see
/// cref="VoidReason"/>.</summary>
[StoredName("payment_void_requested_v1")]
public sealed record PaymentVoidRequested(string PaymentId, string Reason, DateTimeOffset At) : IGroupEvent
{
    public EventDescription Describe() => new("void", $"{Reason}: {VoidReason.Meaning(Reason)} (rule 11)");
}

/// <summary>
/// A status that changes no candidacy, recorded so that an older status delivered later is recognised as stale (README,
/// below the rules) and so that auditors see every status the station reported.
/// </summary>
[StoredName("connector_status_noted_v1")]
public sealed record ConnectorStatusNoted(
    string ChargePointId,
    int ConnectorId,
    ConnectorStatus Status,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() => new("status noted", Status.ToString(), EventWeight.Routine);
}

/// <summary>
/// Rule 12: a meter reading of a charging session (at most one per <see cref="GroupPolicy.MeterReadingInterval"/>),
/// kept so that a session whose station never reports its stop can be settled for the energy it is known to have
/// delivered.
/// </summary>
[StoredName("meter_reading_noted_v1")]
public sealed record MeterReadingNoted(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    int TransactionId,
    long MeterWh,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new(
            "meter reading",
            $"transaction {TransactionId}, meter {MeterWh} Wh (rule 12: settles the session "
                + "should its stop never be reported)",
            EventWeight.Routine
        );
}

/// <summary>Rule 12: the session has charged longer than the bound without StopTransaction; the station is asked to
/// stop.</summary>
[StoredName("charging_overdue_v1")]
public sealed record ChargingOverdue(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    int TransactionId,
    DateTimeOffset ChargingSince,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new(
            "charging overdue",
            $"transaction {TransactionId} charging since {ChargingSince:O} without "
                + "StopTransaction, past the bound: RemoteStopTransaction sent (rule 12)",
            EventWeight.Anomaly
        );
}

/// <summary>
/// Rule 12: no StopTransaction came within the grace after the stop request: the session ends at the last meter reading
/// ChargeLink holds (meterStart if none), and is settled for that energy.
/// </summary>
[StoredName("charging_ended_without_stop_v1")]
public sealed record ChargingEndedWithoutStop(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    int TransactionId,
    long MeterStopWh,
    long EnergyWh,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new(
            "ended without stop",
            $"transaction {TransactionId} never reported its end after the stop request: "
                + $"settled at the last meter reading held, {MeterStopWh} Wh, {EnergyWh} Wh "
                + "delivered (rule 12)",
            EventWeight.Anomaly
        );
}

/// <summary>A StopTransaction that overtook its StartTransaction (README, below the rules): kept until the start
/// arrives, then applied.</summary>
[StoredName("transaction_stop_noted_v1")]
public sealed record TransactionStopNoted(string ChargePointId, int TransactionId, long MeterStopWh, DateTimeOffset At)
    : IGroupEvent
{
    public EventDescription Describe() =>
        new(
            "early stop kept",
            $"StopTransaction {TransactionId} of {ChargePointId} before its start, meter "
                + $"{MeterStopWh} Wh: kept until the start arrives",
            EventWeight.Anomaly
        );
}

/// <summary>
/// Rules 5 and 6: a station started a transaction with the idTag of a payment that was cancelled meanwhile, or that is
/// no longer this connector's (its start timed out and it moved on, or it was settled): nobody pays for it, so the
/// station is asked to stop (RemoteStopTransaction). One payment never charges on two connectors.
/// </summary>
[StoredName("charging_stop_requested_v1")]
public sealed record ChargingStopRequested(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    int TransactionId,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new(
            "stop requested",
            $"transaction {TransactionId} started with this payment's idTag after it was "
                + "cancelled, or where it no longer was: RemoteStopTransaction sent, nothing "
                + "captured for it (rules 5 and 6)",
            EventWeight.Anomaly
        );
}

/// <summary>
/// The retention rule (README): these settled payments can no longer be named by any message the group would accept, so
/// the group forgets them, with the idTags stations were given for them and their transactions, and these early stops
/// whose start never came. Nothing is sent; the events about them stay in the stream for the audit.
/// </summary>
[StoredName("payments_forgotten_v1")]
public sealed record PaymentsForgotten(
    IReadOnlyList<string> PaymentIds,
    IReadOnlyList<TransactionRef> EarlyStops,
    DateTimeOffset At
) : IGroupEvent
{
    public EventDescription Describe() =>
        new(
            "payments forgotten",
            $"{PaymentIds.Count} settled payment(s) and {EarlyStops.Count} early stop(s) past "
                + "the retention period: forgotten by the group, kept in the log (retention rule)",
            EventWeight.Routine
        );
}
