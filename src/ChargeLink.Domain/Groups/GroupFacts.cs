namespace ChargeLink.Domain.Groups;

/// <summary>
/// What the outside world tells a station group, already validated at the edge.
/// The decider turns a fact into the group's events; a fact is not stored, its events are.
/// One suffix per layer: a message between services says what happened at the edge (<c>PaymentAuthorized</c>,
/// Contracts), the fact it becomes is <c>…Reported</c> to the group (<c>PaymentAuthorizationReported</c>), and what the
/// group records is its event (<c>PaymentAuthorizationReceived</c>, <see cref="IGroupEvent"/>). The clock's tick is the
/// one fact nobody reports.
/// </summary>
public abstract record GroupFact;

/// <summary>A StatusNotification for one connector. <paramref name="ReceivedAt"/> is the gateway's clock.</summary>
public sealed record ConnectorStatusReported(
    ConnectorRef Connector,
    ConnectorStatus Status,
    DateTimeOffset? StationTimestamp,
    DateTimeOffset ReceivedAt
) : GroupFact;

/// <summary>A payment authorized at one of the group's terminals; it names no connector.</summary>
public sealed record PaymentAuthorizationReported(
    string PaymentId,
    string TerminalId,
    Money Amount,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset ReceivedAt
) : GroupFact;

/// <summary>The driver cancelled at the terminal.</summary>
public sealed record PaymentCancellationReported(string PaymentId, DateTimeOffset ReceivedAt) : GroupFact;

/// <summary>How the station answered (or did not answer) RemoteStartTransaction.</summary>
public sealed record RemoteStartAnswerReported(
    string PaymentId,
    ConnectorRef Connector,
    RemoteStartOutcome Outcome,
    DateTimeOffset ReceivedAt
) : GroupFact;

/// <summary>A StartTransaction from a station: with the payment's idTag, or by other means (RFID, app).</summary>
public sealed record TransactionStartReported(
    ConnectorRef Connector,
    string IdTag,
    int TransactionId,
    long? MeterStartWh,
    DateTimeOffset ReceivedAt
) : GroupFact;

/// <summary>A StopTransaction from a station; <paramref name="MeterStopWh"/> null when the end came without a reading
/// anyone knows (the session then ends at its own last one).</summary>
public sealed record TransactionStopReported(
    string ChargePointId,
    int TransactionId,
    long? MeterStopWh,
    DateTimeOffset ReceivedAt
) : GroupFact;

/// <summary>A meter reading from MeterValues: the energy register (Wh) of a connector, for a transaction if the station
/// named one.</summary>
public sealed record MeterReadingReported(
    ConnectorRef Connector,
    int? TransactionId,
    long MeterWh,
    DateTimeOffset ReceivedAt
) : GroupFact;

/// <summary>A station (re)booted: BootNotification. A start it had not begun by then is lost with its memory.</summary>
public sealed record StationBootReported(string ChargePointId, DateTimeOffset ReceivedAt) : GroupFact;

/// <summary>Time passed: every deadline at or before <paramref name="Now"/> is due.</summary>
public sealed record ClockTicked(DateTimeOffset Now) : GroupFact;

/// <summary>
/// An operator voids a payment that still waits for a connector (the driver gave up): named, with a reason. The group
/// voids it as its own rules would (<see cref="VoidReason.VoidedByOperator"/>), and it can never be started afterwards.
/// </summary>
public sealed record OperatorVoidReported(string PaymentId, string Operator, string Reason, DateTimeOffset ReceivedAt)
    : GroupFact;

/// <summary>An operator acts on a station or a connector of the group (<see cref="OperatorActs.OnStations"/>): on the
/// record, then sent to the station as a command named by the act.</summary>
public sealed record OperatorStationActReported(
    string ActId,
    string Act,
    string Operator,
    string Reason,
    string ChargePointId,
    int? ConnectorId,
    DateTimeOffset ReceivedAt,
    string? PaymentId = null,
    int? TransactionId = null,
    string? Option = null
) : GroupFact;

/// <summary>The station's answer to an operator's act, or the gateway's word that none came (TimedOut,
/// Offline).</summary>
public sealed record OperatorActAnswerReported(
    string ActId,
    string ChargePointId,
    string Answer,
    DateTimeOffset ReceivedAt,
    string? PaymentId = null
) : GroupFact;
