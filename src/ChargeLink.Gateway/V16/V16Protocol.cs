namespace ChargeLink.Gateway.V16;

/// <summary>
/// OCPP 1.6J (Core profile): each CALL a station sends goes to its action's file (<see cref="IV16Action"/>); one this
/// gateway knows but does not take from a station is NotSupported, any other NotImplemented. The gateway's own CALLs
/// for a command are written here.
/// </summary>
public sealed class V16Protocol(IEnumerable<IV16Action> actions) : IStationProtocol
{
    private readonly Dictionary<string, IV16Action> _actions = actions.ToDictionary(
        a => a.Action,
        StringComparer.Ordinal
    );

    public string Subprotocol => OcppVersion.V16;

    public (string Action, JsonObject Payload) StartCall(StartCharging command) =>
        ("RemoteStartTransaction", new JsonObject { ["connectorId"] = command.ConnectorId, ["idTag"] = command.IdTag });

    public Task<(string Action, JsonObject Payload)> StopCall(StopCharging command, CancellationToken cancellation) =>
        Task.FromResult(("RemoteStopTransaction", new JsonObject { ["transactionId"] = command.TransactionId }));

    public Task<JsonObject> Handle(StationConnection connection, OcppCall call, CancellationToken cancellation) =>
        _actions.TryGetValue(call.Action, out var action)
            ? action.Answer(new StationCall(connection, call, new PayloadReader(call.Payload)), cancellation)
        : NotServed.Actions.Contains(call.Action)
            ? throw new OcppViolation(
                OcppErrorCode.NotSupported,
                $"{call.Action} is not taken from a charge point here"
            )
        : throw new OcppViolation(OcppErrorCode.NotImplemented, $"unknown action {call.Action}");
}
