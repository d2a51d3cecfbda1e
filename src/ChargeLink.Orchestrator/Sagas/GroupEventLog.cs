using ChargeLink.Domain.Groups;

namespace ChargeLink.Orchestrator.Sagas;

/// <summary>One structured log line per decided event, with the ids an on-call engineer searches by.</summary>
public static class GroupEventLog
{
    public static void Write(ILogger logger, string groupId, IGroupEvent e)
    {
        switch (e)
        {
            case ConnectorOccupied o:
                logger.LogInformation("Group {GroupId}: connector {ChargePointId}/{ConnectorId} occupied, waits for a payment", groupId, o.ChargePointId, o.ConnectorId);
                break;
            case ConnectorVacated v:
                logger.LogInformation("Group {GroupId}: connector {ChargePointId}/{ConnectorId} no longer a candidate ({Status})", groupId, v.ChargePointId, v.ConnectorId, v.Status);
                break;
            case PaymentAuthorizationReceived p:
                logger.LogInformation("Group {GroupId}: payment {PaymentId} of {AmountMinor} {Currency} from terminal {TerminalId} waits for a connector", groupId, p.PaymentId, p.AmountMinor, p.Currency, p.TerminalId);
                break;
            case ChargingStartRequested s:
                logger.LogInformation("Group {GroupId}: payment {PaymentId} starts connector {ChargePointId}/{ConnectorId} (idTag {IdTag})", groupId, s.PaymentId, s.ChargePointId, s.ConnectorId, s.IdTag);
                break;
            case RemoteStartAccepted a:
                logger.LogInformation("Group {GroupId}: {ChargePointId}/{ConnectorId} accepted the start for payment {PaymentId}", groupId, a.ChargePointId, a.ConnectorId, a.PaymentId);
                break;
            case RemoteStartFailed f:
                logger.LogWarning("Group {GroupId}: start on {ChargePointId}/{ConnectorId} for payment {PaymentId} failed ({Outcome})", groupId, f.ChargePointId, f.ConnectorId, f.PaymentId, f.Outcome);
                break;
            case RemoteStartConfirmedLate l:
                logger.LogWarning("Group {GroupId}: {ChargePointId}/{ConnectorId} started for payment {PaymentId} after its start had been counted as failed; the payment goes back to it", groupId, l.ChargePointId, l.ConnectorId, l.PaymentId);
                break;
            case RemoteStartLost l:
                logger.LogWarning("Group {GroupId}: {ChargePointId} rebooted before charging began on connector {ConnectorId}; payment {PaymentId} waits again", groupId, l.ChargePointId, l.ConnectorId, l.PaymentId);
                break;
            case ChargingStarted c:
                logger.LogInformation("Group {GroupId}: {ChargePointId}/{ConnectorId} charging for payment {PaymentId} (transaction {TransactionId})", groupId, c.ChargePointId, c.ConnectorId, c.PaymentId, c.TransactionId);
                break;
            case ChargingStopped s:
                logger.LogInformation("Group {GroupId}: {ChargePointId}/{ConnectorId} stopped for payment {PaymentId}: {EnergyWh} Wh", groupId, s.ChargePointId, s.ConnectorId, s.PaymentId, s.EnergyWh);
                break;
            case PaymentCaptureRequested c:
                logger.LogInformation("Group {GroupId}: payment {PaymentId} to be captured: {AmountMinor} {Currency} for {EnergyWh} Wh", groupId, c.PaymentId, c.AmountMinor, c.Currency, c.EnergyWh);
                break;
            case PaymentVoidRequested v:
                logger.LogInformation("Group {GroupId}: payment {PaymentId} to be voided ({Reason})", groupId, v.PaymentId, v.Reason);
                break;
            case ConnectorStatusNoted n:
                logger.LogDebug("Group {GroupId}: connector {ChargePointId}/{ConnectorId} is {Status}", groupId, n.ChargePointId, n.ConnectorId, n.Status);
                break;
            case TransactionStopNoted t:
                logger.LogWarning("Group {GroupId}: StopTransaction {TransactionId} on {ChargePointId} arrived before its StartTransaction; kept until it does", groupId, t.TransactionId, t.ChargePointId);
                break;
            case ChargingStopRequested r:
                logger.LogWarning("Group {GroupId}: {ChargePointId}/{ConnectorId} started transaction {TransactionId} with the idTag of payment {PaymentId}, which is cancelled or not this connector's; asking it to stop", groupId, r.ChargePointId, r.ConnectorId, r.TransactionId, r.PaymentId);
                break;
            case MeterReadingNoted m:
                logger.LogDebug("Group {GroupId}: {ChargePointId}/{ConnectorId} meter at {MeterWh} Wh for payment {PaymentId}", groupId, m.ChargePointId, m.ConnectorId, m.MeterWh, m.PaymentId);
                break;
            case ChargingOverdue o:
                OrchestratorMetrics.SessionsOverdue.Inc();
                logger.LogWarning("Group {GroupId}: {ChargePointId}/{ConnectorId} has charged for payment {PaymentId} since {ChargingSince} without StopTransaction (transaction {TransactionId}); asking it to stop", groupId, o.ChargePointId, o.ConnectorId, o.PaymentId, o.ChargingSince, o.TransactionId);
                break;
            case ChargingEndedWithoutStop ended:
                OrchestratorMetrics.SessionsEndedWithoutStop.Inc();
                logger.LogWarning("Group {GroupId}: {ChargePointId}/{ConnectorId} never reported the end of transaction {TransactionId}; payment {PaymentId} settled at the last meter reading held, {MeterStopWh} Wh ({EnergyWh} Wh delivered)", groupId, ended.ChargePointId, ended.ConnectorId, ended.TransactionId, ended.PaymentId, ended.MeterStopWh, ended.EnergyWh);
                break;
            case PaymentCancelled c:
                logger.LogInformation("Group {GroupId}: payment {PaymentId} cancelled at the terminal", groupId, c.PaymentId);
                break;
        }
    }
}
