namespace ChargeLink.Orchestrator.Deciding;

/// <summary>
/// One structured log line per decided event, in the event's own words (<see cref="IGroupEvent.Describe"/>), with the
/// ids an on-call engineer searches by as properties. Anomalies are warnings; bookkeeping is debug.
/// </summary>
public static class GroupEventLog
{
    public static void Write(ILogger logger, string groupId, IGroupEvent e)
    {
        var description = e.Describe();
        var level = description.Weight switch
        {
            EventWeight.Routine => LogLevel.Debug,
            EventWeight.Anomaly => LogLevel.Warning,
            _ => LogLevel.Information,
        };
        if (e is ChargingOverdue)
            OrchestratorMetrics.SessionsOverdue.Inc();
        if (e is ChargingEndedWithoutStop)
            OrchestratorMetrics.SessionsEndedWithoutStop.Inc();
        if (!logger.IsEnabled(level))
            return;
        switch (e.Connector, e.PaymentId)
        {
            case ({ } c, { } paymentId):
                logger.Log(
                    level,
                    "Group {GroupId}: {Event} on {ChargePointId}/{ConnectorId} for payment {PaymentId}: {Detail}",
                    groupId,
                    description.What,
                    c.ChargePointId,
                    c.ConnectorId,
                    paymentId,
                    description.Detail
                );
                break;
            case ({ } c, null):
                logger.Log(
                    level,
                    "Group {GroupId}: {Event} on {ChargePointId}/{ConnectorId}: {Detail}",
                    groupId,
                    description.What,
                    c.ChargePointId,
                    c.ConnectorId,
                    description.Detail
                );
                break;
            case (null, { } paymentId):
                logger.Log(
                    level,
                    "Group {GroupId}: {Event} for payment {PaymentId}: {Detail}",
                    groupId,
                    description.What,
                    paymentId,
                    description.Detail
                );
                break;
            default:
                logger.Log(level, "Group {GroupId}: {Event}: {Detail}", groupId, description.What, description.Detail);
                break;
        }
    }
}
