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
        }
    }
}
