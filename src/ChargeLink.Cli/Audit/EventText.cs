using ChargeLink.Domain.Groups;

namespace ChargeLink.Cli.Audit;

/// <summary>One group event in words for a timeline: what happened, where, to which payment, and the figures.</summary>
public sealed record EventLine(string What, string? Where, string? PaymentId, string Detail);

public static class EventText
{
    public static EventLine Describe(IGroupEvent e) => e switch
    {
        ConnectorOccupied x => new("connector occupied", At(x.ChargePointId, x.ConnectorId), null, "Preparing: cable in, waits for a payment"),
        ConnectorVacated x => new("connector left", At(x.ChargePointId, x.ConnectorId), null, $"now {x.Status}"),
        ConnectorStatusNoted x => new("status noted", At(x.ChargePointId, x.ConnectorId), null, x.Status.ToString()),
        PaymentAuthorizationReceived x => new("payment authorized", $"terminal {x.TerminalId}", x.PaymentId, $"{Money(x.AmountMinor, x.Currency)} held"),
        ChargingStartRequested x => new("start requested", At(x.ChargePointId, x.ConnectorId), x.PaymentId, $"RemoteStartTransaction, idTag {x.IdTag}"),
        RemoteStartAccepted x => new("start accepted", At(x.ChargePointId, x.ConnectorId), x.PaymentId, "the station accepted"),
        RemoteStartFailed x => new("start failed", At(x.ChargePointId, x.ConnectorId), x.PaymentId, x.Outcome == RemoteStartOutcome.ConnectorUnavailable ? "the connector became Faulted or Unavailable before charging began" : $"the station answered {x.Outcome}"),
        ChargingStarted x => new("charging started", At(x.ChargePointId, x.ConnectorId), x.PaymentId, $"transaction {x.TransactionId}, meter {x.MeterStartWh} Wh"),
        ChargingStopped x => new("charging stopped", At(x.ChargePointId, x.ConnectorId), x.PaymentId, $"transaction {x.TransactionId}, meter {x.MeterStopWh} Wh, {x.EnergyWh} Wh delivered"),
        PaymentCaptureRequested x => new("capture", null, x.PaymentId, $"{Money(x.AmountMinor, x.Currency)} for {x.EnergyWh} Wh (session {x.SessionId})"),
        PaymentVoidRequested x => new("void", null, x.PaymentId, $"{x.Reason}: {VoidMeaning(x.Reason)}"),
        PaymentCancelled x => new("payment cancelled", null, x.PaymentId, "the driver cancelled at the terminal; no instruction"),
        TransactionStopNoted x => new("early stop kept", x.ChargePointId, null, $"StopTransaction {x.TransactionId} before its start, meter {x.MeterStopWh} Wh"),
        ChargingStopRequested x => new("stop requested", At(x.ChargePointId, x.ConnectorId), x.PaymentId, $"RemoteStopTransaction {x.TransactionId}: nobody pays for it (the payment was cancelled, or is not this connector's)"),
        RemoteStartConfirmedLate x => new("start confirmed late", At(x.ChargePointId, x.ConnectorId), x.PaymentId, "the station started with the payment's idTag after its start had been counted as failed; the payment is back with it"),
        RemoteStartLost x => new("start lost", At(x.ChargePointId, x.ConnectorId), x.PaymentId, "the station rebooted before charging began; the payment waits again"),
        MeterReadingNoted x => new("meter reading", At(x.ChargePointId, x.ConnectorId), x.PaymentId, $"transaction {x.TransactionId}, meter {x.MeterWh} Wh"),
        ChargingOverdue x => new("charging overdue", At(x.ChargePointId, x.ConnectorId), x.PaymentId, $"transaction {x.TransactionId} charging since {x.ChargingSince:O} without StopTransaction; RemoteStopTransaction sent"),
        ChargingEndedWithoutStop x => new("ended without stop", At(x.ChargePointId, x.ConnectorId), x.PaymentId, $"transaction {x.TransactionId} never reported its end: settled at the last meter reading held, {x.MeterStopWh} Wh, {x.EnergyWh} Wh delivered"),
        _ => new(e.GetType().Name, null, null, ""),
    };

    public static string VoidMeaning(string reason) => reason switch
    {
        VoidReason.UnknownTerminal => "the terminal is in no station group",
        VoidReason.NoConnectorOccupied => "no connector of the group became occupied in time",
        VoidReason.StationRejected => "the stations refused, were offline or did not answer, and no other connector waited",
        VoidReason.ChargingNotStarted => "the station accepted but started no transaction in time",
        VoidReason.NoEnergyDelivered => "the session delivered no energy",
        VoidReason.NothingToCapture => "the energy's price rounds to nothing",
        VoidReason.StopNeverReported => "the station never reported the session's end and no meter reading showed energy",
        _ => "see the void reasons in the README",
    };

    // Minor units as stored: the number of decimals differs by currency (EUR 2, JPY 0), and the log keeps no table of them.
    public static string Money(long minor, string currency) => $"{minor} {currency} minor units";

    private static string At(string chargePointId, int connectorId) => $"{chargePointId}/{connectorId}";
}
