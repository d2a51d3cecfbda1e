using ChargeLink.Contracts;
using ChargeLink.Domain.Topology;
using ChargeLink.Gateway.Commands;
using ChargeLink.Gateway.Durable;
using ChargeLink.Gateway.Ocpp;
using MassTransit;

namespace ChargeLink.Gateway.Stations;

/// <summary>
/// ws://HOST:PORT/ocpp/{chargePointId}: refuses unknown stations (404) and bad credentials (401) at the
/// upgrade, as it does (401) a station without a password that the topology does not put on profile 0; selects the
/// newest OCPP version the station offers that the gateway speaks (<see cref="OcppVersion"/>); a client that offers
/// none gets a handshake without a subprotocol and an immediate close, as OCPP-J specifies.
/// </summary>
public sealed class OcppEndpoint(
    SiteTopology topology,
    StationCredentials credentials,
    ConnectionRegistry connections,
    StationLocks locks,
    CoreProfileHandler ocpp16,
    Ocpp201Handler ocpp201,
    Ocpp21Handler ocpp21,
    AnsweredCalls answered,
    StationRouting routing,
    StationPresence presence,
    GatewayOptions options,
    IHostApplicationLifetime lifetime,
    IBus bus,
    TimeProvider clock,
    ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger<OcppEndpoint>();

    public async Task Handle(HttpContext context, string chargePointId)
    {
        var logger = _logger;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ChargePointId"] = chargePointId });
        if (topology.FindStation(chargePointId) is not { } known)
        {
            logger.LogWarning("Connection refused: station {ChargePointId} is not in the topology", chargePointId);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var verdict = credentials.Check(chargePointId, context.Request.Headers.Authorization);
        if (verdict != CredentialsVerdict.Accepted)
        {
            if (verdict == CredentialsVerdict.NoPasswordAllowed)
                logger.LogWarning("Connection refused: station {ChargePointId} has no password and the topology does not say \"securityProfile\": 0 for it or its group", chargePointId);
            else
                logger.LogWarning("Connection refused: bad or missing credentials for {ChargePointId}", chargePointId);
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"ChargeLink OCPP\"";
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"a WebSocket upgrade with one of the subprotocols {string.Join(", ", OcppVersion.Supported)} is expected here");
            return;
        }
        if (OcppVersion.Negotiate(context.WebSockets.WebSocketRequestedProtocols) is not { } subprotocol)
        {
            logger.LogWarning("Connection of {ChargePointId} closed: it offers none of the subprotocols {Subprotocols}", chargePointId, OcppVersion.Supported);
            using var refused = await context.WebSockets.AcceptWebSocketAsync();
            await refused.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.ProtocolError, $"subprotocol {string.Join(" or ", OcppVersion.Supported)} required", context.RequestAborted);
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync(subprotocol);
        IStationProtocol protocol = subprotocol switch
        {
            OcppVersion.V21 => ocpp21,
            OcppVersion.V201 => ocpp201,
            _ => ocpp16,
        };
        var session = new StationConnection(chargePointId, known.Group, socket, protocol, answered, options, loggers.CreateLogger<StationConnection>());
        // Bound before registered: commands for the station reach this instance from the moment it serves them.
        StationConnection? replaced;
        using (await locks.Take(chargePointId, context.RequestAborted))
        {
            await routing.Bind(chargePointId, context.RequestAborted);
            replaced = connections.Register(session);
        }
        if (replaced is not null)
        {
            logger.LogInformation("Station {ChargePointId} reconnected; its previous connection is closed", chargePointId);
            await replaced.DisposeAsync();
        }
        logger.LogInformation("Station {ChargePointId} of group {GroupId} connected over {Subprotocol}", chargePointId, known.Group.Id, subprotocol);
        await Announce(bus, new StationConnected(known.Group.Id, chargePointId, routing.InstanceQueue, clock.GetUtcNow()), logger);
        presence.Connected(chargePointId, known.Group.Id, subprotocol);
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            await session.Run(stop.Token);
        }
        finally
        {
            bool wasCurrent;
            using (await locks.Take(chargePointId, CancellationToken.None))
            {
                wasCurrent = connections.Remove(session);
                if (wasCurrent)
                    await routing.Unbind(chargePointId, CancellationToken.None);
            }
            if (wasCurrent)
            {
                await Announce(bus, new StationDisconnected(known.Group.Id, chargePointId, routing.InstanceQueue, clock.GetUtcNow()), logger);
                presence.Disconnected(chargePointId, known.Group.Id);
            }
            await session.DisposeAsync();
            logger.LogInformation("Station {ChargePointId} disconnected", chargePointId);
        }
    }

    // Information for whoever listens; a broker hiccup here must not cost the station its connection.
    private static async Task Announce<T>(IBus bus, T message, ILogger logger) where T : class
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await bus.Publish(message, timeout.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("Could not publish {Event}: {Reason}", typeof(T).Name, e.Message);
        }
    }
}
