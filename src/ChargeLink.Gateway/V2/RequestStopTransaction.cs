namespace ChargeLink.Gateway.V2;

/// <summary>StopCharging for a 2.x station: the transaction named by the station's own id, which the transaction
/// ledger maps from ChargeLink's.</summary>
public sealed class RequestStopTransaction(TransactionLedger transactions) : V2Command<StopCharging>
{
    public override string Action => "RequestStopTransaction";

    protected override async Task<JsonObject> Payload(
        StopCharging command,
        V2Dialect dialect,
        CancellationToken cancellation
    )
    {
        // A transaction the ledger does not hold (pruned, or begun before this ledger) is named by ChargeLink's id.
        var stationTransactionId = await transactions.StationTransactionId(
            command.ChargePointId,
            command.TransactionId,
            cancellation
        ) ?? command.TransactionId.ToString(CultureInfo.InvariantCulture);
        return new JsonObject { ["transactionId"] = stationTransactionId };
    }
}
