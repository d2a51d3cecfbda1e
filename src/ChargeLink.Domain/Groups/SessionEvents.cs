namespace ChargeLink.Domain.Groups;

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
