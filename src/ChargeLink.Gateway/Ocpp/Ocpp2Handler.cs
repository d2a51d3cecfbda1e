using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;
using ChargeLink.Gateway.Durable;
using ChargeLink.Gateway.Stations;
using MassTransit;

namespace ChargeLink.Gateway.Ocpp;

/// <summary>
/// The CSMS side of OCPP 2.0.1 and 2.1 for what ChargeLink's flow needs, told to the rest of ChargeLink in the same contracts as
/// 1.6: a connector is an EVSE (the topology's connector numbers are EVSE ids); StatusNotification Occupied, or a
/// transaction the station opens at plug-in before any payment, makes it a candidate; a transaction that carries the
/// payment's idToken is the session, whose energy comes from its meter values; a transaction that ends without ever
/// carrying one frees the connector. The station's string transaction ids are mapped to ChargeLink's in the
/// transaction ledger, so a resend or a restart gets the same one.
/// </summary>
/// <param name="subprotocol">The version's WebSocket subprotocol.</param>
/// <param name="schemas">The OCA's schemas of the version.</param>
/// <param name="idTokenType">The idToken type a payment's start carries: Central in 2.0.1, DirectPayment in 2.1 (use case C24).</param>
/// <param name="tellsLimit">Whether the version lets the CSMS tell the station a transaction's limit (2.1's transactionLimit).</param>
public abstract class Ocpp2Handler(
    string subprotocol,
    OcppSchemas schemas,
    string idTokenType,
    bool tellsLimit,
    IBus bus,
    TimeProvider clock,
    GatewayOptions options,
    TransactionLedger transactions,
    CommandLedger commands,
    StatusForwarding statuses,
    ILogger logger)
    : IStationProtocol
{
    // What a 2.x transaction is recorded under in the ledger: its id on the station is what identifies it.
    private const string TransactionPrefix = "tx:";

    // The last energy register each running transaction reported, for an Ended that carries none (the standard lets the
    // station put the end's reading in the last Updated instead). Memory only: after a gateway restart such an end
    // settles from the start's reading, i.e. as no energy, never as more than was measured.
    private readonly ConcurrentDictionary<(string ChargePointId, string TransactionId), long> _lastMeterWh = new();

    // What a station sends that the flow takes: the answer of those not handled above is the empty one their schema allows.
    private static readonly HashSet<string> Taken =
    [
        "BootNotification", "Heartbeat", "StatusNotification", "Authorize", "TransactionEvent", "DataTransfer", "NotifyEvent",
        "MeterValues", "SecurityEventNotification", "NotifyReport", "FirmwareStatusNotification", "LogStatusNotification",
        "NotifyPeriodicEventStream",
    ];

    public string Subprotocol => subprotocol;

    public (string Action, JsonObject Payload) StartCall(StartCharging command) =>
        ("RequestStartTransaction", new JsonObject
        {
            ["evseId"] = command.ConnectorId,
            ["remoteStartId"] = RemoteStartId(command.PaymentId),
            ["idToken"] = new JsonObject { ["idToken"] = command.IdTag, ["type"] = idTokenType },
        });

    public async Task<(string Action, JsonObject Payload)> StopCall(StopCharging command, CancellationToken cancellation)
    {
        var recorded = await transactions.RecordedIdTag(command.ChargePointId, command.TransactionId, cancellation);
        var stationTransactionId = recorded is not null && recorded.StartsWith(TransactionPrefix, StringComparison.Ordinal)
            ? recorded[TransactionPrefix.Length..]
            : command.TransactionId.ToString(CultureInfo.InvariantCulture);
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
        if (!schemas.Knows(call.Action))
            throw new OcppViolation(OcppErrorCode.NotImplemented, $"unknown action {call.Action}");
        // The action decides before the payload is read: one the central system sends, or a station's that ChargeLink
        // does not take, is not supported whatever it carries.
        if (!Taken.Contains(call.Action))
            throw new OcppViolation(OcppErrorCode.NotSupported, $"{call.Action} is not taken from a charging station here");
        // Every CALL against the OCA's schema of its request first; what is read below is then known to be well formed.
        schemas.Check(call.Action, call.Payload);
        var reader = new PayloadReader(call.Payload);
        return call.Action switch
        {
            "BootNotification" => await Boot(connection, reader, cancellation),
            "Heartbeat" => new JsonObject { ["currentTime"] = Now() },
            "StatusNotification" => await StatusNotification(connection, reader, cancellation),
            "Authorize" => new JsonObject { ["idTokenInfo"] = await IdTokenInfo(connection, IdToken(call.Payload)!, cancellation) },
            "TransactionEvent" => await TransactionEvent(connection, call.Payload, reader, cancellation),
            "DataTransfer" => new JsonObject { ["status"] = "UnknownVendorId" },
            "NotifyEvent" => await NotifyEvent(connection, call.Payload, cancellation),
            _ => [],
        };
    }

    private async Task<JsonObject> Boot(StationConnection connection, PayloadReader reader, CancellationToken cancellation)
    {
        reader.RequiredOneOf("reason", "ApplicationReset", "FirmwareUpdate", "LocalReset", "PowerUp", "RemoteReset", "ScheduledReset", "Triggered", "Unknown", "Watchdog");
        connection.ForgetForwardedStatuses();
        await bus.Publish(new StationBooted(connection.Group.Id, connection.ChargePointId, clock.GetUtcNow()), cancellation);
        logger.LogInformation("Station {ChargePointId} booted ({Subprotocol})", connection.ChargePointId, subprotocol);
        return new JsonObject { ["currentTime"] = Now(), ["interval"] = options.HeartbeatIntervalSeconds, ["status"] = "Accepted" };
    }

    private async Task<JsonObject> StatusNotification(StationConnection connection, PayloadReader reader, CancellationToken cancellation)
    {
        var timestamp = reader.RequiredDateTime("timestamp");
        var status = reader.RequiredOneOf("connectorStatus", "Available", "Occupied", "Reserved", "Unavailable", "Faulted");
        var evseId = reader.RequiredInt("evseId", min: 0);
        reader.RequiredInt("connectorId", min: 0);
        var state = StateOf(status) ?? ConnectorState.Faulted;
        await Forward(connection, evseId, state, timestamp, cancellation);
        return [];
    }

    private Task Forward(StationConnection connection, int evseId, ConnectorState state, DateTimeOffset? stationTimestamp, CancellationToken cancellation) =>
        statuses.Forward(connection, evseId, state, "NoError", stationTimestamp, cancellation);

    // 2.x's connector states in the contract's words. Occupied is the cable in: a candidate, as 1.6's Preparing; a
    // transaction that runs keeps it Occupied, and the group knows that transaction from its own messages.
    private static ConnectorState? StateOf(string? status) => status switch
    {
        "Occupied" => ConnectorState.Preparing,
        "Available" => ConnectorState.Available,
        "Reserved" => ConnectorState.Reserved,
        "Unavailable" => ConnectorState.Unavailable,
        "Faulted" => ConnectorState.Faulted,
        _ => null,
    };

    // A connector's AvailabilityState reported as a device-model event (2.1's preferred way, allowed in 2.0.1): the same
    // news as a StatusNotification. Every other event is answered and left to the station's own monitoring.
    private async Task<JsonObject> NotifyEvent(StationConnection connection, JsonObject payload, CancellationToken cancellation)
    {
        foreach (var data in (payload["eventData"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (data["component"]?["name"]?.GetValue<string>() != "Connector" || data["variable"]?["name"]?.GetValue<string>() != "AvailabilityState"
                || EvseId(data["component"]?["evse"]) is not { } evseId)
                continue;
            var state = StateOf(data["actualValue"]?.GetValue<string>());
            DateTimeOffset? at = DateTimeOffset.TryParse(data["timestamp"]?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
            if (state is { } reported)
                await Forward(connection, evseId, reported, at, cancellation);
        }
        return [];
    }

    private async Task<JsonObject> TransactionEvent(StationConnection connection, JsonObject payload, PayloadReader reader, CancellationToken cancellation)
    {
        var eventType = reader.RequiredOneOf("eventType", "Started", "Updated", "Ended");
        var timestamp = reader.RequiredDateTime("timestamp");
        reader.RequiredString("triggerReason", 50);
        reader.RequiredInt("seqNo", min: 0);
        var stationTransactionId = (payload["transactionInfo"] as JsonObject)?["transactionId"]?.GetValue<string>()
            ?? throw new OcppViolation(OcppErrorCode.OccurrenceConstraintViolation, "transactionInfo.transactionId is required");
        var evseId = EvseId(payload["evse"]);
        var idToken = IdToken(payload);
        var energyWh = EnergyRegisterWh(payload["meterValue"] as JsonArray, out var implausible);
        if (implausible > 0)
            logger.LogWarning("TransactionEvent {StationTransactionId} on {ChargePointId}: {Implausible} energy register reading(s) outside 0..{MaxRegisterWh} Wh ignored",
                stationTransactionId, connection.ChargePointId, implausible, MeterBounds.MaxRegisterWh);
        var key = new TransactionKey(connection.ChargePointId, evseId ?? 0, TransactionPrefix + stationTransactionId, 0, DateTimeOffset.UnixEpoch);
        var known = await transactions.Find(key, cancellation) ?? (evseId is null ? await FindAnyEvse(connection, stationTransactionId, cancellation) : null);
        var meterKey = (connection.ChargePointId, stationTransactionId);
        if (energyWh is { } reading)
            _lastMeterWh[meterKey] = reading;
        // Rule 8: the session starts at the transaction's own first reading: this event's, else the last one it reported
        // before the payment's token (Transaction.Begin at plug-in), else none yet (then the decider takes its first).
        long? startWh = _lastMeterWh.TryGetValue(meterKey, out var lastBefore) ? lastBefore : null;

        if (eventType is "Started" or "Updated" && idToken is not null && known is null && evseId is { } evse
            && (connection.IssuedIdTag(idToken) || await commands.WasIssued(connection.ChargePointId, idToken, cancellation)))
        {
            // The transaction carries the payment's idToken: this is the session (charging from now, as 1.6's StartTransaction).
            var recorded = await transactions.Record(key, cancellation);
            if (!recorded.Published)
            {
                await bus.Publish(new TransactionStarted(connection.Group.Id, connection.ChargePointId, evse, idToken, recorded.TransactionId, startWh, timestamp, clock.GetUtcNow()), cancellation);
                await transactions.MarkPublished(key, cancellation);
                logger.LogInformation("Transaction {StationTransactionId} ({TransactionId}) started on {ChargePointId}/{EvseId}", stationTransactionId, recorded.TransactionId, connection.ChargePointId, evse);
            }
            known = recorded.TransactionId;
        }
        else if (eventType == "Started" && known is null && evseId is { } plugged)
        {
            // Opened at plug-in, before any payment (TxStartPoint EVConnected): the connector is occupied.
            await Forward(connection, plugged, ConnectorState.Preparing, timestamp, cancellation);
        }
        else if (eventType == "Updated" && known is { } running && energyWh is { } meterWh && evseId is { } at)
        {
            await bus.Publish(new MeterValuesReported(connection.Group.Id, connection.ChargePointId, at, running, meterWh, clock.GetUtcNow()), cancellation);
        }

        if (eventType == "Ended")
        {
            _lastMeterWh.TryRemove(meterKey, out var lastKnown);
            if (energyWh is null && lastKnown > 0)
                energyWh = lastKnown;
            if (known is { } ended)
            {
                var meterStopWh = energyWh ?? 0;
                await bus.Publish(new TransactionStopped(connection.Group.Id, connection.ChargePointId, ended, meterStopWh, timestamp, clock.GetUtcNow()), cancellation);
                logger.LogInformation("Transaction {StationTransactionId} ({TransactionId}) on {ChargePointId} ended", stationTransactionId, ended, connection.ChargePointId);
            }
            else if (evseId is { } freed)
            {
                // Never authorized: no session to settle, and the car may have gone; the next status says what is so.
                await Forward(connection, freed, ConnectorState.Available, timestamp, cancellation);
            }
        }
        if (idToken is null)
            return [];
        var answer = new JsonObject { ["idTokenInfo"] = await IdTokenInfo(connection, idToken, cancellation) };
        if (tellsLimit && eventType is "Started" or "Updated" && EnergyLimitWh(connection, idToken) is { } maxEnergy)
            answer["transactionLimit"] = new JsonObject { ["maxEnergy"] = maxEnergy };
        return answer;
    }

    // The energy the payment's hold buys at the group's tariff, in Wh: beyond it the capture stops growing (rule 10).
    // Computed wide: a hold is bounded at the door, but nothing here overflows whatever it is.
    private static long? EnergyLimitWh(StationConnection connection, string idToken) =>
        connection.HeldAmountOf(idToken) is { } held && held > 0 && connection.Group.Tariff.PricePerKwhMinor > 0
            ? (long)Int128.Min((Int128)held * 1000 / connection.Group.Tariff.PricePerKwhMinor, MeterBounds.MaxRegisterWh)
            : null;

    // A TransactionEvent after the first need not name its EVSE: find the transaction under any of the station's.
    private async Task<int?> FindAnyEvse(StationConnection connection, string stationTransactionId, CancellationToken cancellation)
    {
        foreach (var evse in connection.Group.Stations.Where(s => s.ChargePointId == connection.ChargePointId).SelectMany(s => s.Connectors))
        {
            if (await transactions.Find(new TransactionKey(connection.ChargePointId, evse, TransactionPrefix + stationTransactionId, 0, DateTimeOffset.UnixEpoch), cancellation) is { } id)
                return id;
        }
        return null;
    }

    // The schemas say "integer" without a width (2.0.1 without a minimum too); OCPP's integers are 32 bits and an EVSE id
    // is never negative: read as 1.6's integers are, and refused as they are.
    private static int? EvseId(JsonNode? evse) => evse is JsonObject known ? new PayloadReader(known).RequiredInt("id", min: 0) : null;

    private static string? IdToken(JsonObject payload) => (payload["idToken"] as JsonObject)?["idToken"]?.GetValue<string>();

    private async Task<JsonObject> IdTokenInfo(StationConnection connection, string idToken, CancellationToken cancellation) =>
        new() { ["status"] = connection.IssuedIdTag(idToken) || await commands.WasIssued(connection.ChargePointId, idToken, cancellation) ? "Accepted" : "Invalid" };

    // The energy register (the measurand by default), in Wh: the last sample of the last meter value that has one. A sample
    // outside what a register can hold (MeterBounds) is a fault of the meter, not energy to bill: left out and counted.
    private static long? EnergyRegisterWh(JsonArray? meterValues, out int implausible)
    {
        long? energy = null;
        implausible = 0;
        foreach (var meterValue in meterValues?.OfType<JsonObject>() ?? [])
        {
            foreach (var sample in (meterValue["sampledValue"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var measurand = sample["measurand"]?.GetValue<string>() ?? "Energy.Active.Import.Register";
                if (measurand != "Energy.Active.Import.Register" || sample["value"] is not JsonValue value || !value.TryGetValue<double>(out var number))
                    continue;
                var unit = (sample["unitOfMeasure"] as JsonObject)?["unit"]?.GetValue<string>() ?? "Wh";
                var multiplier = sample["unitOfMeasure"] is JsonObject unitOfMeasure ? new PayloadReader(unitOfMeasure).OptionalInt("multiplier") ?? 0 : 0;
                var wh = number * Math.Pow(10, multiplier) * (unit == "kWh" ? 1000 : 1);
                if (!double.IsFinite(wh) || wh < 0 || wh > MeterBounds.MaxRegisterWh)
                {
                    implausible++;
                    continue;
                }
                energy = (long)Math.Round(wh, MidpointRounding.AwayFromZero);
            }
        }
        return energy;
    }

    private string Now() => clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}

/// <summary>OCPP 2.0.1: a payment's start carries an idToken of type Central.</summary>
public sealed class Ocpp201Handler(IBus bus, TimeProvider clock, GatewayOptions options, TransactionLedger transactions, CommandLedger commands, StatusForwarding statuses, ILogger<Ocpp201Handler> logger)
    : Ocpp2Handler(OcppVersion.V201, OcppSchemas.V201, "Central", tellsLimit: false, bus, clock, options, transactions, commands, statuses, logger);

/// <summary>OCPP 2.1: a payment's start carries an idToken of type DirectPayment (use case C24, ad-hoc payment).</summary>
public sealed class Ocpp21Handler(IBus bus, TimeProvider clock, GatewayOptions options, TransactionLedger transactions, CommandLedger commands, StatusForwarding statuses, ILogger<Ocpp21Handler> logger)
    : Ocpp2Handler(OcppVersion.V21, OcppSchemas.V21, "DirectPayment", tellsLimit: true, bus, clock, options, transactions, commands, statuses, logger);
