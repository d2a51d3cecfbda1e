using ChargeLink.Gateway.Commands;
using MassTransit;

namespace ChargeLink.Gateway.Stations;

/// <summary>
/// ws://HOST:PORT/ocpp/{chargePointId}: refuses unknown stations (404) and bad credentials (401) at the upgrade, as it
/// does (401) a station without a password that the topology does not put on profile 0; selects the newest OCPP version
/// the station offers that the gateway speaks (<see cref="OcppVersion"/>); a client that offers none gets a handshake
/// without a subprotocol and an immediate close, as OCPP-J specifies. Each refusal counts against the client's address
/// (and a wrong password against the station id too): past the limit every attempt gets 429 with Retry-After until the
/// window ends (<see cref="FailedAttempts"/>), and the log sums refusals up (<see cref="RefusalLog"/>).
/// </summary>
public sealed class OcppEndpoint(
    SiteTopology topology,
    StationCredentials credentials,
    FailedAttempts signIns,
    RefusalLog refusals,
    ConnectionRegistry connections,
    StationLocks locks,
    IEnumerable<IStationProtocol> protocols,
    AnsweredCalls answered,
    StationRouting routing,
    StationPresence presence,
    GatewayOptions options,
    StationFrameLimits frameLimits,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers
)
{
    private readonly ILogger _logger = loggers.CreateLogger<OcppEndpoint>();

    // One for every connection: Serilog's logger factory does not cache by category, so a logger made per connection
    // was a Serilog logger and an event-id cache per station (about 700 bytes each, from dotnet-gcdump at 10,000).
    private readonly ILogger<StationConnection> _connectionLogger = loggers.CreateLogger<StationConnection>();

    public async Task Handle(HttpContext context, string chargePointId)
    {
        var logger = _logger;
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var fromAddress = FailedAttempts.AddressPrefix + address;
        if (signIns.RefusedFor(fromAddress) is { } wait)
        {
            Throttle(context, address, wait);
            return;
        }
        // The id came from the URL, decoded: checked before anything writes it (a %0A in it would be a new log line).
        if (!TopologyFile.IsChargePointId(chargePointId))
        {
            Refuse(
                context,
                StatusCodes.Status404NotFound,
                "(not a station id)",
                address,
                $"a station id of {chargePointId.Length} characters, not all letters, digits, '-', '_' or '.'",
                fromAddress
            );
            return;
        }
        // Held for the connection's life: one pair, not a dictionary.
        using var scope = logger.BeginScope(
            new[] { KeyValuePair.Create<string, object>("ChargePointId", chargePointId) }
        );
        if (topology.FindStation(chargePointId) is not { } known)
        {
            // Guessing station ids is an attempt like guessing passwords: it counts against the address.
            Refuse(
                context,
                StatusCodes.Status404NotFound,
                "(unknown station)",
                address,
                $"station {chargePointId} is not in the topology",
                fromAddress
            );
            return;
        }
        // Wrong passwords for a station lock that station from the address they came from, not from everywhere: a lock
        // any address could set would let anyone keep a station off the network for good, ten guesses a minute.
        var stationFromAddress = $"station:{chargePointId}@{address}";
        if (signIns.RefusedFor(stationFromAddress) is { } stationWait)
        {
            Throttle(context, address, stationWait);
            return;
        }
        var verdict = credentials.Check(
            chargePointId,
            context.Request.Headers.Authorization,
            context.Connection.ClientCertificate
        );
        if (verdict != CredentialsVerdict.Accepted)
        {
            if (!known.Station.RequiresClientCertificate)
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"ChargeLink OCPP\"";
            Refuse(
                context,
                StatusCodes.Status401Unauthorized,
                chargePointId,
                address,
                verdict switch
                {
                    CredentialsVerdict.NoPasswordAllowed =>
                        "it has no password and the topology does not say \"securityProfile\": 0 for it or its group",
                    CredentialsVerdict.NoCertificate =>
                        "security profile 3, and no client certificate of the stations' CA",
                    CredentialsVerdict.CertificateOfAnother =>
                        "security profile 3, and the client certificate names another station",
                    _ => "bad or missing credentials",
                },
                fromAddress,
                stationFromAddress
            );
            return;
        }
        // A browser names the page that opens a WebSocket (Origin); a station never does. A profile-0 station has no
        // credentials to protect it, so a page on the site's network could otherwise take it over.
        if (known.Station.AllowsUnauthenticatedConnection && context.Request.Headers.Origin.Count > 0)
        {
            Refuse(
                context,
                StatusCodes.Status403Forbidden,
                chargePointId,
                address,
                "security profile 0, and the upgrade comes from a web page (it has an Origin)",
                fromAddress
            );
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(
                "a WebSocket upgrade with one of the subprotocols "
                    + $"{string.Join(", ", OcppVersion.Supported)} is expected here"
            );
            return;
        }
        if (OcppVersion.Negotiate(context.WebSockets.WebSocketRequestedProtocols) is not { } subprotocol)
        {
            logger.LogWarning(
                "Connection of {ChargePointId} closed: it offers none of the subprotocols {Subprotocols}",
                chargePointId,
                OcppVersion.Supported
            );
            using var refused = await context.WebSockets.AcceptWebSocketAsync();
            await refused.CloseAsync(
                System.Net.WebSockets.WebSocketCloseStatus.ProtocolError,
                $"subprotocol {string.Join(" or ", OcppVersion.Supported)} required",
                context.RequestAborted
            );
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync(subprotocol);
        var protocol = protocols.Single(p => p.Subprotocol == subprotocol);
        var session = new StationConnection(
            chargePointId,
            known.Group,
            socket,
            protocol,
            answered,
            options,
            frameLimits,
            _connectionLogger
        )
        {
            RemoteAddress = context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        };
        // Bound before registered: commands for the station reach this instance from the moment it serves them.
        StationConnection? replaced;
        using (await locks.Take(chargePointId, context.RequestAborted))
        {
            await routing.Bind(chargePointId, context.RequestAborted);
            replaced = connections.Register(session);
        }
        if (replaced is not null)
        {
            if (known.Station.AllowsUnauthenticatedConnection)
            {
                // Profile 0 means whoever reaches the gateway may be this station: a reconnect and a takeover look
                // alike, so each replacement is shown, with both ends.
                GatewayMetrics.ProfileZeroReplacements.Inc();
                logger.LogWarning(
                    "Station {ChargePointId} (security profile 0: no credentials) is now served to a "
                        + "new connection from {RemoteAddress}; its connection from {PreviousRemoteAddress} "
                        + "is closed",
                    chargePointId,
                    session.RemoteAddress,
                    replaced.RemoteAddress
                );
            }
            else
            {
                logger.LogInformation(
                    "Station {ChargePointId} reconnected from {RemoteAddress}; its previous connection is closed",
                    chargePointId,
                    session.RemoteAddress
                );
            }
            await replaced.DisposeAsync();
        }
        logger.LogInformation(
            "Station {ChargePointId} of group {GroupId} connected over {Subprotocol}",
            chargePointId,
            known.Group.Id,
            subprotocol
        );
        presence.Connected(chargePointId, known.Group.Id, subprotocol);
        try
        {
            await session.Run(context.RequestAborted, lifetime.ApplicationStopping);
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
                presence.Disconnected(chargePointId, known.Group.Id);
            }
            await session.DisposeAsync();
            logger.LogInformation("Station {ChargePointId} disconnected", chargePointId);
        }
    }

    private void Refuse(
        HttpContext context,
        int status,
        string subject,
        string address,
        string reason,
        params string[] keys
    )
    {
        signIns.Failed(keys);
        refusals.Failed(subject, address, reason);
        context.Response.StatusCode = status;
    }

    private void Throttle(HttpContext context, string address, TimeSpan wait)
    {
        refusals.Throttled(address);
        context.Response.Headers.RetryAfter = FailedAttempts.RetryAfterSeconds(wait);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
    }
}
