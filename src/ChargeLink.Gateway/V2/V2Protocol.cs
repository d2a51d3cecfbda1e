namespace ChargeLink.Gateway.V2;

/// <summary>
/// The CSMS side of OCPP 2.0.1 and 2.1 (<see cref="V2Dialect"/>): every CALL admitted by the version's catalogue first
/// (<see cref="OcppCatalogue"/>: known action, taken from a station, valid against the OCA's schema of its request),
/// then to its action's file (<see cref="IV2Action"/>); a connector is an EVSE (the topology's connector numbers are
/// EVSE ids). The gateway's own CALLs for a command are written here.
/// </summary>
public sealed class V2Protocol(V2Dialect dialect, IEnumerable<IV2Action> actions, TransactionLedger transactions)
    : IStationProtocol
{
    private readonly Dictionary<string, IV2Action> _actions = actions.ToDictionary(
        a => a.Action,
        StringComparer.Ordinal
    );

    private const string RequestStart = "RequestStartTransaction";
    private const string RequestStop = "RequestStopTransaction";

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
        new(dialect.Schemas, actions.Select(a => a.Action), Noted, sent: [RequestStart, RequestStop]);

    public string Subprotocol => dialect.Subprotocol;

    public (string Action, JsonObject Payload) StartCall(StartCharging command) =>
        (
            RequestStart,
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
        return (RequestStop, new JsonObject { ["transactionId"] = stationTransactionId });
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
        if (Catalogue.Admit(call) == StationActionHandling.Noted)
            return [];
        return await _actions[call.Action]
            .Answer(new StationCall(connection, call, new PayloadReader(call.Payload)), dialect, cancellation);
    }
}
