namespace ChargeLink.Gateway.V2;

/// <summary>
/// The CSMS side of OCPP 2.0.1 and 2.1 (<see cref="V2Dialect"/>): every CALL admitted by the version's catalogue first
/// (<see cref="OcppCatalogue"/>: known action, taken from a station, valid against the OCA's schema of its request),
/// then to its action's file (<see cref="IV2Action"/>); a connector is an EVSE (the topology's connector numbers are
/// EVSE ids). The gateway's own CALLs for a command are each in their file too (<see cref="IV2Command"/>).
/// </summary>
public sealed class V2Protocol(V2Dialect dialect, IEnumerable<IV2Action> actions, IEnumerable<IV2Command> commands)
    : IStationProtocol
{
    private readonly Dictionary<string, IV2Action> _actions = actions.ToDictionary(
        a => a.Action,
        StringComparer.Ordinal
    );

    private readonly Dictionary<Type, IV2Command> _commands = commands.ToDictionary(c => c.Command);

    // What a station sends that the flow does not use: answered with the empty payload their schemas allow.
    private static readonly string[] Noted =
    [
        "MeterValues",
        "SecurityEventNotification",
        "NotifyReport",
        "FirmwareStatusNotification",
        "LogStatusNotification",
    ];

    public OcppCatalogue Catalogue { get; } =
        new(dialect.Schemas, actions.Select(a => a.Action), Noted, sent: [.. commands.Select(c => c.Action)]);

    public string Subprotocol => dialect.Subprotocol;

    // OCPP 2.x makes a message id unique for the station across its connections: the same id is the same CALL.
    public bool ResentAcrossConnections(string action) => true;

    public async Task<(string Action, JsonObject Payload)> CallFor(
        IStationCommand command,
        CancellationToken cancellation
    )
    {
        var writer = _commands[command.GetType()];
        return (writer.Action, await writer.Payload(command, dialect, cancellation));
    }

    public async Task<JsonObject> Handle(StationConnection connection, OcppCall call, CancellationToken cancellation)
    {
        if (Catalogue.Admit(call) == StationActionHandling.Noted)
            return [];
        return await _actions[call.Action]
            .Answer(new StationCall(connection, call, new PayloadReader(call.Payload)), dialect, cancellation);
    }
}
