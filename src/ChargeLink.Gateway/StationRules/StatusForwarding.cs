using MassTransit;

namespace ChargeLink.Gateway.StationRules;

/// <summary>
/// What a connector's status becomes, whichever OCPP version reported it: news for its group only when it is a
/// connector of the topology (an EVSE for 2.x) and changes what this connection last forwarded for it. A repeat is
/// answered and forgotten, since history records changes; a new connection (or a reboot) forwards its first report of
/// each connector, whatever it is. Published before the station hears its answer, so an answered status is never lost.
/// </summary>
public sealed class StatusForwarding(IBus bus, TimeProvider clock, ILogger<StatusForwarding> logger)
{
    public async Task Forward(
        StationConnection connection,
        int connectorId,
        ConnectorStatus state,
        string errorCode,
        DateTimeOffset? stationTimestamp,
        CancellationToken cancellation
    )
    {
        var station = connection.Group.Stations.First(s => s.ChargePointId == connection.ChargePointId);
        if (connectorId == 0 || !station.HasConnector(connectorId))
        {
            // Connector 0 is the station as a whole; an unlisted connector is not one the topology lets us start.
            logger.LogInformation(
                "Status {Status} for connector {ConnectorId} of {ChargePointId} noted, not a topology connector",
                state,
                connectorId,
                connection.ChargePointId
            );
            return;
        }
        if (connection.LastForwardedStatus(connectorId) == state)
        {
            logger.LogDebug(
                "Connector {ChargePointId}/{ConnectorId} repeats {Status}; not forwarded",
                connection.ChargePointId,
                connectorId,
                state
            );
            return;
        }
        await bus.Publish(
            new ConnectorStatusChanged(
                connection.Group.Id,
                connection.ChargePointId,
                connectorId,
                state,
                errorCode,
                stationTimestamp,
                clock.GetUtcNow()
            ),
            cancellation
        );
        connection.StatusForwarded(connectorId, state);
        logger.LogInformation(
            "Connector {ChargePointId}/{ConnectorId} is {Status}",
            connection.ChargePointId,
            connectorId,
            state
        );
    }
}
