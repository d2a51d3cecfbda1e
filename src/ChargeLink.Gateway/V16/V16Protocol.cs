namespace ChargeLink.Gateway.V16;

/// <summary>
/// OCPP 1.6J (Core profile): each CALL a station sends is admitted by the version's catalogue (<see
/// cref="OcppCatalogue"/>: known action, taken from a station, valid against the OCA's 1.6 schema), then goes to its
/// action's file (<see cref="IV16Action"/>). The gateway's own CALLs for a command are written here.
/// </summary>
public sealed class V16Protocol : IStationProtocol
{
    private const string RemoteStart = "RemoteStartTransaction";
    private const string RemoteStop = "RemoteStopTransaction";

    // What a station sends that the flow does not use: answered with the empty payload their schemas allow.
    private static readonly string[] Noted = ["DiagnosticsStatusNotification", "FirmwareStatusNotification"];

    private readonly Dictionary<string, IV16Action> _actions;

    public V16Protocol(IEnumerable<IV16Action> actions)
    {
        _actions = actions.ToDictionary(a => a.Action, StringComparer.Ordinal);
        Catalogue = new OcppCatalogue(OcppSchemas.V16, _actions.Keys, Noted, sent: [RemoteStart, RemoteStop]);
    }

    public OcppCatalogue Catalogue { get; }

    public string Subprotocol => OcppVersion.V16;

    public (string Action, JsonObject Payload) StartCall(StartCharging command) =>
        (RemoteStart, new JsonObject { ["connectorId"] = command.ConnectorId, ["idTag"] = command.IdTag });

    public Task<(string Action, JsonObject Payload)> StopCall(StopCharging command, CancellationToken cancellation) =>
        Task.FromResult((RemoteStop, new JsonObject { ["transactionId"] = command.TransactionId }));

    public Task<JsonObject> Handle(StationConnection connection, OcppCall call, CancellationToken cancellation)
    {
        if (Catalogue.Admit(call) == StationActionHandling.Noted)
            return Task.FromResult(new JsonObject());
        return _actions[call.Action]
            .Answer(new StationCall(connection, call, new PayloadReader(call.Payload)), cancellation);
    }
}
