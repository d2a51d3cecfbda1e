namespace ChargeLink.Gateway.V16;

/// <summary>
/// A transaction begins (<see cref="TransactionStarts"/>). Every start is told to the group, ours or not: one started
/// by RFID or an app takes its connector out of the candidates.
/// </summary>
public sealed class StartTransaction(TransactionStarts starts, IssuedTokens tokens) : IV16Action
{
    public string Action => "StartTransaction";

    public async Task<JsonObject> Answer(StationCall request, CancellationToken cancellation)
    {
        var (station, _, payload) = request;
        var connectorId = payload.RequiredInt("connectorId", min: 1);
        var idTag = payload.RequiredString("idTag", IdTag.MaxLength);
        // A register never reads below zero (and 1.6's integer never reaches MeterBounds' maximum): refused where it
        // enters.
        var meterStart = payload.RequiredInt("meterStart", min: 0);
        var timestamp = payload.RequiredDateTime("timestamp");
        payload.OptionalInt("reservationId");
        payload.End();
        var key = new StartTransactionKey(station.ChargePointId, connectorId, idTag, meterStart, timestamp);
        var transactionId = await starts.Begin(station, key, connectorId, idTag, meterStart, timestamp, cancellation);
        return new JsonObject
        {
            ["transactionId"] = transactionId,
            ["idTagInfo"] = new JsonObject { ["status"] = await tokens.StatusOf(station, idTag, cancellation) },
        };
    }
}
