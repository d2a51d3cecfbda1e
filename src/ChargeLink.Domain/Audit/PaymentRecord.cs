using ChargeLink.Domain.Groups;

namespace ChargeLink.Domain.Audit;

public enum PaymentStatus
{
    /// <summary>Authorized, waiting for an occupied connector.</summary>
    Waiting,

    /// <summary>RemoteStartTransaction sent to a station, or accepted by it; no transaction yet.</summary>
    Starting,

    /// <summary>A transaction runs (or ran, until the capture) for this payment.</summary>
    Charging,

    Captured,
    Voided,

    /// <summary>The driver cancelled at the terminal before charging started: no instruction.</summary>
    Cancelled,
}

/// <summary>
/// One payment's story for accounting and audits, from authorization to capture or void, and the session it
/// paid for (payments and sessions are one to one). Nothing but a fold of its group's events (<see
/// cref="PaymentRecords"/>).
/// </summary>
public sealed record PaymentRecord(
    string PaymentId,
    Guid StreamId,
    string GroupId,
    string TerminalId,
    long HeldMinor,
    string Currency,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset ReceivedAt,
    PaymentStatus Status,
    int StartAttempts = 0,
    string? LastFailedStart = null,
    string? ChargePointId = null,
    int? ConnectorId = null,
    int? TransactionId = null,
    string? SessionId = null,
    DateTimeOffset? StartedAt = null,
    long? MeterStartWh = null,
    DateTimeOffset? StoppedAt = null,
    long? MeterStopWh = null,
    long? EnergyWh = null,
    long? CapturedMinor = null,
    string? VoidReason = null,
    DateTimeOffset? SettledAt = null,
    DateTimeOffset? OverdueSince = null
);

/// <summary>How a group event changes the payment it concerns.</summary>
public static class PaymentRecords
{
    public static bool IsSettled(PaymentRecord record) =>
        record.Status is PaymentStatus.Captured or PaymentStatus.Voided or PaymentStatus.Cancelled;

    /// <param name="current">The payment's record so far; null before its authorization.</param>
    public static PaymentRecord? Evolve(PaymentRecord? current, Guid streamId, string groupId, IGroupEvent e) =>
        (current, e) switch
        {
            (null, PaymentAuthorizationReceived x) => new PaymentRecord(
                x.PaymentId,
                streamId,
                groupId,
                x.TerminalId,
                x.AmountMinor,
                x.Currency,
                x.AuthorizedAt,
                x.ReceivedAt,
                PaymentStatus.Waiting
            ),
            (null, _) => null,
            // Settled is final: a station that starts after a cancellation, say, is in the timeline, not in the
            // outcome.
            ({ } p, _) when IsSettled(p) => p,
            ({ } p, ChargingStartRequested x) => p with
            {
                Status = PaymentStatus.Starting,
                StartAttempts = p.StartAttempts + 1,
                ChargePointId = x.ChargePointId,
                ConnectorId = x.ConnectorId,
            },
            ({ } p, RemoteStartFailed x) => p with
            {
                Status = PaymentStatus.Waiting,
                LastFailedStart = $"{x.ChargePointId}/{x.ConnectorId}: {x.Outcome}",
                ChargePointId = null,
                ConnectorId = null,
            },
            ({ } p, RemoteStartLost x) => p with
            {
                Status = PaymentStatus.Waiting,
                LastFailedStart = $"{x.ChargePointId}/{x.ConnectorId}: lost in a reboot",
                ChargePointId = null,
                ConnectorId = null,
            },
            ({ } p, RemoteStartConfirmedLate x) => p with
            {
                Status = PaymentStatus.Starting,
                ChargePointId = x.ChargePointId,
                ConnectorId = x.ConnectorId,
            },
            ({ } p, ChargingStarted x) => p with
            {
                Status = PaymentStatus.Charging,
                ChargePointId = x.ChargePointId,
                ConnectorId = x.ConnectorId,
                TransactionId = x.TransactionId,
                SessionId = Session.IdOf(x.ChargePointId, x.ConnectorId, x.TransactionId),
                StartedAt = x.At,
                MeterStartWh = x.MeterStartWh,
            },
            ({ } p, ChargingStopped x) => p with
            {
                StoppedAt = x.At,
                MeterStopWh = x.MeterStopWh,
                EnergyWh = x.EnergyWh,
            },
            ({ } p, ChargingOverdue x) => p with { OverdueSince = x.At },
            ({ } p, ChargingEndedWithoutStop x) => p with
            {
                StoppedAt = x.At,
                MeterStopWh = x.MeterStopWh,
                EnergyWh = x.EnergyWh,
            },
            ({ } p, PaymentCaptureRequested x) => p with
            {
                Status = PaymentStatus.Captured,
                CapturedMinor = x.AmountMinor,
                EnergyWh = x.EnergyWh,
                SessionId = x.SessionId,
                SettledAt = x.At,
            },
            ({ } p, PaymentVoidRequested x) => p with
            {
                Status = PaymentStatus.Voided,
                VoidReason = x.Reason,
                SettledAt = x.At,
            },
            ({ } p, PaymentCancelled x) => p with { Status = PaymentStatus.Cancelled, SettledAt = x.At },
            ({ } p, _) => p,
        };
}
