namespace ChargeLink.Gateway.V16;

/// <summary>
/// OCPP 1.6J (Core profile): each CALL a station sends is admitted by the version's catalogue (<see
/// cref="OcppCatalogue"/>: known action, taken from a station, valid against the OCA's 1.6 schema), then goes to its
/// action's file (<see cref="IV16Action"/>). The gateway's own CALLs for a command are each in their file too
/// (<see cref="IV16Command"/>).
/// </summary>
public sealed class V16Protocol : IStationProtocol
{
    // What a station sends that the flow does not use: answered with the empty payload their schemas allow. The last
    // three are the security whitepaper's (its profiles 1-3 are served), which a station sends and expects answered.
    private static readonly string[] Noted =
    [
        "DiagnosticsStatusNotification",
        "FirmwareStatusNotification",
        "SecurityEventNotification",
        "SignedFirmwareStatusNotification",
        "LogStatusNotification",
    ];

    private readonly Dictionary<string, IV16Action> _actions;
    private readonly Dictionary<Type, IV16Command> _commands;

    public V16Protocol(IEnumerable<IV16Action> actions, IEnumerable<IV16Command> commands)
    {
        _actions = actions.ToDictionary(a => a.Action, StringComparer.Ordinal);
        _commands = commands.ToDictionary(c => c.Command);
        Catalogue = new OcppCatalogue(
            OcppSchemas.V16,
            _actions.Keys,
            Noted,
            sent: [.. _commands.Values.Select(c => c.Action)]
        );
    }

    public OcppCatalogue Catalogue { get; }

    public string Subprotocol => OcppVersion.V16;

    public async Task<(string Action, JsonObject Payload)> CallFor(
        IStationCommand command,
        CancellationToken cancellation
    )
    {
        var writer = _commands[command.GetType()];
        return (writer.Action, await writer.Payload(command, cancellation));
    }

    // OCPP-J 1.6 (4.1.4) makes a message id unique on its connection only: a station may count from 1 again on the
    // next one, and a StatusNotification or Heartbeat there may repeat an earlier id and payload and still be new (a
    // plug-in, not a resend). Only the CALLs whose resend must not be handled twice are taken for resends across
    // connections; their payloads (meter, timestamp, transaction) are never repeated by a new one. The others are
    // handled again, which changes nothing when they were resends: the group takes a repeated fact for a repeat.
    public bool ResentAcrossConnections(string action) => action is "StartTransaction" or "StopTransaction";

    public Task<JsonObject> Handle(StationConnection connection, OcppCall call, CancellationToken cancellation)
    {
        if (Catalogue.Admit(call) == StationActionHandling.Noted)
            return Task.FromResult(new JsonObject());
        return _actions[call.Action]
            .Answer(new StationCall(connection, call, new PayloadReader(call.Payload)), cancellation);
    }
}
