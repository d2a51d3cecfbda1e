namespace ChargeLink.Gateway.Ocpp;

/// <summary>
/// One OCPP version's side of the conversation: answering the station's CALLs (and telling the rest of ChargeLink what
/// they mean, in the protocol-neutral contracts), and writing the gateway's own CALLs for a command.
/// </summary>
public interface IStationProtocol
{
    /// <summary>The WebSocket subprotocol (<see cref="OcppVersion"/>).</summary>
    string Subprotocol { get; }

    /// <summary>
    /// The payload of the CALLRESULT that answers <paramref name="call"/>; an <see cref="OcppViolation"/> for one that
    /// the station must be refused (the connection turns either into the frame, and any other failure into
    /// InternalError).
    /// </summary>
    Task<JsonObject> Handle(StationConnection connection, OcppCall call, CancellationToken cancellation);

    /// <summary>The CALL that carries <paramref name="command"/> to a station of this version (its file:
    /// <see cref="V16.IV16Command"/>, <see cref="V2.IV2Command"/>).</summary>
    Task<(string Action, JsonObject Payload)> CallFor(IStationCommand command, CancellationToken cancellation);

    /// <summary>Whether a CALL of <paramref name="action"/> with the message id and payload of one answered on an
    /// earlier connection of the station is that CALL resent (answered as before) rather than a new one, which is
    /// handled.</summary>
    bool ResentAcrossConnections(string action);
}
