using MassTransit;

namespace ChargeLink.Gateway.V2;

/// <summary>
/// A 2.x transaction's life, told to the rest of ChargeLink in 1.6's terms: a transaction that carries the payment's
/// idToken is the session (<see cref="TransactionStarts"/>), whose energy comes from its meter values (<see
/// cref="EnergyRegister"/>); one the station opens at plug-in before any payment makes its EVSE a candidate; one that
/// ends without ever carrying a token of ours frees it. The station's string transaction ids are mapped to ChargeLink's
/// in the transaction ledger (<see cref="StationTransactionKey"/>), so a resend or a restart gets the same one.
/// </summary>
public sealed class TransactionEvent(
    IBus bus,
    TimeProvider clock,
    TransactionLedger transactions,
    TransactionStarts starts,
    IssuedTokens tokens,
    StatusForwarding statuses,
    ILogger<TransactionEvent> logger
) : IV2Action
{
    // The last energy register each running transaction reported, for an Ended that carries none (the standard lets the
    // station put the end's reading in the last Updated instead). Memory only: after a gateway restart (or on another
    // instance) such an end is passed on without a reading, and the group ends the session at the last one it holds.
    private readonly ConcurrentDictionary<(string ChargePointId, string TransactionId), long> _lastMeterWh = new();

    public string Action => "TransactionEvent";

    public async Task<JsonObject> Answer(StationCall request, V2Dialect dialect, CancellationToken cancellation)
    {
        var (station, call, payload) = request;
        var eventType = payload.RequiredOneOf("eventType", "Started", "Updated", "Ended");
        var timestamp = payload.RequiredDateTime("timestamp");
        payload.RequiredString("triggerReason", 50);
        payload.RequiredInt("seqNo", min: 0);
        var stationTransactionId = (call.Payload["transactionInfo"] as JsonObject)?["transactionId"]?.GetValue<string>()
            ?? throw new OcppViolation(
                OcppErrorCode.OccurrenceConstraintViolation,
                "transactionInfo.transactionId is required"
            );
        var namedEvse = V2Fields.EvseId(call.Payload["evse"]);
        var idToken = V2Fields.IdToken(call.Payload);
        var energyWh = EnergyRegister.Of(
            V2MeterValues.EnergyReadingsWh(call.Payload["meterValue"] as JsonArray),
            out var implausible
        );
        if (implausible > 0)
            logger.LogWarning(
                "TransactionEvent {StationTransactionId} on {ChargePointId}: {Implausible} energy "
                    + "register reading(s) outside 0..{MaxRegisterWh} Wh ignored",
                stationTransactionId,
                station.ChargePointId,
                implausible,
                MeterBounds.MaxRegisterWh
            );
        // The station's transaction id is unique on the station, so a later event that names no EVSE finds it too:
        // a station names the EVSE only in the first event after the EV connected (E01.FR.16), and for a transaction
        // the ledger holds, the ledger knows it.
        var key = new StationTransactionKey(station.ChargePointId, stationTransactionId);
        var ledgered = await transactions.Find(key, cancellation);
        var known = ledgered?.TransactionId;
        var evseId = namedEvse ?? ledgered?.ConnectorId;
        var meterKey = (station.ChargePointId, stationTransactionId);
        if (energyWh is { } reading)
            _lastMeterWh[meterKey] = reading;
        // Rule 8: the session starts at the transaction's own first reading: this event's, else the last one it
        // reported before the payment's token (Transaction.Begin at plug-in), else none yet (then the decider takes its
        // first).
        long? startWh = _lastMeterWh.TryGetValue(meterKey, out var lastBefore) ? lastBefore : null;

        if (
            eventType is "Started" or "Updated"
            && idToken is not null
            && ledgered is not { Published: true }
            && await tokens.WasIssued(station, idToken, cancellation)
            && (evseId ?? await tokens.ConnectorOf(station, idToken, cancellation)) is { } evse
        )
        {
            // The transaction carries the payment's idToken: this is the session (charging from now, as 1.6's
            // StartTransaction). Its EVSE is the one the event names, else the one the token's start was asked for (a
            // transaction opened at plug-in hears of the token in an event after its first). Begun again while the
            // ledger does not say the group was told: a gateway that died between recording and publishing told
            // nobody, and the station's resend must.
            known = await starts.Begin(station, key, evse, idToken, startWh, timestamp, cancellation);
        }
        else if (eventType == "Started" && known is null && evseId is { } plugged)
        {
            // Opened at plug-in, before any payment (TxStartPoint EVConnected): the connector is occupied.
            await statuses.Forward(station, plugged, ConnectorStatus.Preparing, "NoError", timestamp, cancellation);
        }
        // A reading of a transaction the ledger held before this event (the first event with the token has given its
        // reading as the start's), whether or not that event begins it again above.
        if (
            eventType == "Updated"
            && ledgered is not null
            && known is { } running
            && energyWh is { } meterWh
            && evseId is { } at
        )
        {
            await bus.Publish(
                new MeterValuesReported(
                    station.Group.Id,
                    station.ChargePointId,
                    at,
                    running,
                    meterWh,
                    clock.GetUtcNow()
                ),
                cancellation
            );
        }

        if (eventType == "Ended")
        {
            _lastMeterWh.TryRemove(meterKey, out var lastKnown);
            if (energyWh is null && lastKnown > 0)
                energyWh = lastKnown;
            if (known is { } ended)
            {
                await bus.Publish(
                    new TransactionStopped(
                        station.Group.Id,
                        station.ChargePointId,
                        ended,
                        energyWh ?? 0,
                        timestamp,
                        clock.GetUtcNow(),
                        MeterStopUnknown: energyWh is null
                    ),
                    cancellation
                );
                logger.LogInformation(
                    "Transaction {StationTransactionId} ({TransactionId}) on {ChargePointId} ended",
                    stationTransactionId,
                    ended,
                    station.ChargePointId
                );
            }
            else if (evseId is { } freed)
            {
                // Never authorized: no session to settle, and the car may have gone; the next status says what is so.
                await statuses.Forward(station, freed, ConnectorStatus.Available, "NoError", timestamp, cancellation);
            }
        }
        if (idToken is null)
            return [];
        var answer = new JsonObject
        {
            ["idTokenInfo"] = new JsonObject { ["status"] = await tokens.StatusOf(station, idToken, cancellation) },
        };
        if (
            dialect.TellsLimit
            && eventType is "Started" or "Updated"
            && EnergyLimitWh(station, idToken) is { } maxEnergy
        )
            answer["transactionLimit"] = new JsonObject { ["maxEnergy"] = maxEnergy };
        return answer;
    }

    // The energy the payment's hold buys at the group's tariff, in Wh: beyond it the capture stops growing (rule 10).
    // Computed wide: a hold is bounded at the door, but nothing here overflows whatever it is.
    private static long? EnergyLimitWh(StationConnection station, string idToken) =>
        station.HeldAmountOf(idToken) is { } held && held > 0 && station.Group.Tariff.PricePerKwhMinor > 0
            ? (long)Int128.Min((Int128)held * 1000 / station.Group.Tariff.PricePerKwhMinor, MeterBounds.MaxRegisterWh)
            : null;
}
