namespace ChargeLink.Gateway.V2;

/// <summary>
/// The CSMS side of OCPP 2.0.1 and 2.1 (<see cref="V2Dialect"/>): every CALL against the OCA's schema of its request
/// first, then to its action's file (<see cref="IV2Action"/>); a connector is an EVSE (the topology's connector numbers
/// are EVSE ids). The gateway's own CALLs for a command are written here.
/// </summary>
public sealed class V2Protocol(V2Dialect dialect, IEnumerable<IV2Action> actions, TransactionLedger transactions)
    : IStationProtocol
{
    private readonly Dictionary<string, IV2Action> _actions = actions.ToDictionary(
        a => a.Action,
        StringComparer.Ordinal
    );

    // What a station sends that the flow does not use: answered with the empty payload their schemas allow.
    private static readonly HashSet<string> Noted =
    [
        "MeterValues",
        "SecurityEventNotification",
        "NotifyReport",
        "FirmwareStatusNotification",
        "LogStatusNotification",
        "NotifyPeriodicEventStream",
    ];

    public string Subprotocol => dialect.Subprotocol;

    public (string Action, JsonObject Payload) StartCall(StartCharging command) =>
        (
            "RequestStartTransaction",
            new JsonObject
            {
                ["evseId"] = command.ConnectorId,
                ["remoteStartId"] = RemoteStartId(command.PaymentId),
                ["idToken"] = new JsonObject { ["idToken"] = command.IdTag, ["type"] = dialect.IdTokenType },
            }
        );

    public async Task<(string Action, JsonObject Payload)> StopCall(
        StopCharging command,
        CancellationToken cancellation
    )
    {
        // A transaction the ledger does not hold (pruned, or begun before this ledger) is named by ChargeLink's id.
        var stationTransactionId = await transactions.StationTransactionId(
            command.ChargePointId,
            command.TransactionId,
            cancellation
        ) ?? command.TransactionId.ToString(CultureInfo.InvariantCulture);
        return ("RequestStopTransaction", new JsonObject { ["transactionId"] = stationTransactionId });
    }

    // Positive and stable: the same payment's start has the same remoteStartId after a restart.
    private static int RemoteStartId(string paymentId)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(paymentId))
            hash = (hash ^ b) * 16777619u;
        return (int)(hash & 0x7FFFFFFF) | 1;
    }

    public async Task<JsonObject> Handle(StationConnection connection, OcppCall call, CancellationToken cancellation)
    {
        if (!dialect.Schemas.Knows(call.Action))
            throw new OcppViolation(OcppErrorCode.NotImplemented, $"unknown action {call.Action}");
        // The action decides before the payload is read: one the central system sends, or a station's that ChargeLink
        // does not take, is not supported whatever it carries.
        var action = _actions.GetValueOrDefault(call.Action);
        if (action is null && !Noted.Contains(call.Action))
            throw new OcppViolation(
                OcppErrorCode.NotSupported,
                $"{call.Action} is not taken from a charging station here"
            );
        // Every CALL against the OCA's schema of its request first; what is read below is then known to be well formed.
        dialect.Schemas.Check(call.Action, call.Payload);
        return action is null
            ? []
            : await action.Answer(
                new StationCall(connection, call, new PayloadReader(call.Payload)),
                dialect,
                cancellation
            );
    }
}
