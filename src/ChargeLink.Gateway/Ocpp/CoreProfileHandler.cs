using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;
using ChargeLink.Gateway.Durable;
using ChargeLink.Gateway.Stations;
using MassTransit;

namespace ChargeLink.Gateway.Ocpp;

/// <summary>
/// Answers the CALLs a station sends (OCPP 1.6 Core profile) and publishes what the rest of ChargeLink
/// must know. Payloads are validated field by field; a violation is answered with the standard's CALLERROR.
/// </summary>
public sealed class CoreProfileHandler(IBus bus, TimeProvider clock, GatewayOptions options, TransactionLedger transactions, CommandLedger commands, StatusForwarding statuses, ILogger<CoreProfileHandler> logger)
    : IStationProtocol
{
    public string Subprotocol => OcppVersion.V16;

    public (string Action, JsonObject Payload) StartCall(StartCharging command) =>
        ("RemoteStartTransaction", new JsonObject { ["connectorId"] = command.ConnectorId, ["idTag"] = command.IdTag });

    public Task<(string Action, JsonObject Payload)> StopCall(StopCharging command, CancellationToken cancellation) =>
        Task.FromResult(("RemoteStopTransaction", new JsonObject { ["transactionId"] = command.TransactionId }));

    public async Task<JsonObject> Handle(StationConnection session, OcppCall call, CancellationToken cancellation)
    {
        var reader = new PayloadReader(call.Payload);
        return call.Action switch
        {
            "BootNotification" => await Boot(session, reader, cancellation),
            "Heartbeat" => Heartbeat(reader),
            "StatusNotification" => await StatusNotification(session, reader, cancellation),
            "Authorize" => await Authorize(session, reader, cancellation),
            "StartTransaction" => await StartTransaction(session, reader, cancellation),
            "StopTransaction" => await StopTransaction(session, reader, cancellation),
            "MeterValues" => await MeterValues(session, call.Payload, reader, cancellation),
            "DataTransfer" => DataTransfer(reader),
            "DiagnosticsStatusNotification" => Noted(call.Action, reader, reader.RequiredOneOf("status", "Idle", "Uploaded", "UploadFailed", "Uploading")),
            "FirmwareStatusNotification" => Noted(call.Action, reader, reader.RequiredOneOf("status", "Downloaded", "DownloadFailed", "Downloading", "Idle", "InstallationFailed", "Installing", "Installed")),
            _ when OcppActions.NotServed.Contains(call.Action) => throw new OcppViolation(OcppErrorCode.NotSupported, $"{call.Action} is not taken from a charge point here"),
            _ => throw new OcppViolation(OcppErrorCode.NotImplemented, $"unknown action {call.Action}"),
        };
    }

    // Published before the answer, like a status: the group learns of the reboot before anything the station reports after it.
    private async Task<JsonObject> Boot(StationConnection session, PayloadReader reader, CancellationToken cancellation)
    {
        var vendor = reader.RequiredString("chargePointVendor", 20);
        var model = reader.RequiredString("chargePointModel", 20);
        reader.OptionalString("chargePointSerialNumber", 25);
        reader.OptionalString("chargeBoxSerialNumber", 25);
        reader.OptionalString("firmwareVersion", 50);
        reader.OptionalString("iccid", 20);
        reader.OptionalString("imsi", 20);
        reader.OptionalString("meterType", 25);
        reader.OptionalString("meterSerialNumber", 25);
        reader.End();
        session.ForgetForwardedStatuses();
        await bus.Publish(new StationBooted(session.Group.Id, session.ChargePointId, clock.GetUtcNow()), cancellation);
        logger.LogInformation("Station booted: {Vendor} {Model}", vendor, model);
        // Unknown stations never get this far: they are refused at the WebSocket upgrade.
        return new JsonObject { ["status"] = "Accepted", ["currentTime"] = Now(), ["interval"] = options.HeartbeatIntervalSeconds };
    }

    private async Task<JsonObject> StatusNotification(StationConnection session, PayloadReader reader, CancellationToken cancellation)
    {
        var connectorId = reader.RequiredInt("connectorId", min: 0);
        var errorCode = reader.RequiredEnum<ChargePointErrorCode>("errorCode");
        var status = reader.RequiredEnum<ConnectorState>("status");
        var stationTimestamp = reader.OptionalDateTime("timestamp");
        reader.OptionalString("info", 50);
        reader.OptionalString("vendorId", 255);
        reader.OptionalString("vendorErrorCode", 50);
        reader.End();

        await statuses.Forward(session, connectorId, status, errorCode.ToString(), stationTimestamp, cancellation);
        return [];
    }

    // Published before the answer: once the station hears Accepted it charges, and the group must know. A resend of
    // one already answered (lost answer, reboot, restart, new message id) gets the same transaction id and is not
    // published again once the group has been told.
    private async Task<JsonObject> StartTransaction(StationConnection session, PayloadReader reader, CancellationToken cancellation)
    {
        var connectorId = reader.RequiredInt("connectorId", min: 1);
        var idTag = reader.RequiredString("idTag", IdTag.MaxLength);
        // A register never reads below zero (and 1.6's integer never reaches MeterBounds' maximum): refused where it enters.
        var meterStart = reader.RequiredInt("meterStart", min: 0);
        var timestamp = reader.RequiredDateTime("timestamp");
        reader.OptionalInt("reservationId");
        reader.End();
        var key = new TransactionKey(session.ChargePointId, connectorId, idTag, meterStart, timestamp);
        var recorded = await transactions.Record(key, cancellation);
        if (recorded.Repeat)
            logger.LogInformation("StartTransaction on {ChargePointId}/{ConnectorId} repeats transaction {TransactionId}; answered with the same id", session.ChargePointId, connectorId, recorded.TransactionId);
        if (!recorded.Published)
        {
            await bus.Publish(new TransactionStarted(session.Group.Id, session.ChargePointId, connectorId, idTag, recorded.TransactionId, meterStart, timestamp, clock.GetUtcNow()), cancellation);
            await transactions.MarkPublished(key, cancellation);
            logger.LogInformation("Transaction {TransactionId} started on {ChargePointId}/{ConnectorId} with meter {MeterStart} Wh", recorded.TransactionId, session.ChargePointId, connectorId, meterStart);
        }
        return new JsonObject { ["transactionId"] = recorded.TransactionId, ["idTagInfo"] = await IdTagInfo(session, idTag, cancellation) };
    }

    private async Task<JsonObject> StopTransaction(StationConnection session, PayloadReader reader, CancellationToken cancellation)
    {
        var transactionId = reader.RequiredInt("transactionId");
        var meterStop = reader.RequiredInt("meterStop", min: 0);
        var timestamp = reader.RequiredDateTime("timestamp");
        reader.OptionalString("idTag", IdTag.MaxLength);
        reader.OptionalOneOf("reason", "EmergencyStop", "EVDisconnected", "HardReset", "Local", "Other", "PowerLoss", "Reboot", "Remote", "SoftReset", "UnlockCommand", "DeAuthorized");
        reader.OptionalObjects("transactionData", MeterValueSchema.Check);
        reader.End();
        await bus.Publish(new TransactionStopped(session.Group.Id, session.ChargePointId, transactionId, meterStop, timestamp, clock.GetUtcNow()), cancellation);
        logger.LogInformation("Transaction {TransactionId} on {ChargePointId} stopped at meter {MeterStop} Wh", transactionId, session.ChargePointId, meterStop);
        return [];
    }

    // The energy charged for comes from StopTransaction's meterStop; the energy register of a connector is passed on
    // too, so that a session whose StopTransaction never comes can be settled for what it is known to have delivered.
    private async Task<JsonObject> MeterValues(StationConnection session, JsonObject payload, PayloadReader reader, CancellationToken cancellation)
    {
        var connectorId = reader.RequiredInt("connectorId", min: 0);
        var transactionId = reader.OptionalInt("transactionId");
        var samples = reader.RequiredObjects("meterValue", MeterValueSchema.Check, nonEmpty: true);
        reader.End();
        logger.LogDebug("{Count} meter value(s) received", samples);
        var meterWh = MeterValueSchema.EnergyRegisterWh((JsonArray)payload["meterValue"]!, out var implausible);
        if (implausible > 0)
            logger.LogWarning("MeterValues on {ChargePointId}/{ConnectorId}: {Implausible} energy register reading(s) outside 0..{MaxRegisterWh} Wh ignored",
                session.ChargePointId, connectorId, implausible, MeterBounds.MaxRegisterWh);
        if (connectorId > 0 && meterWh is not null)
            await bus.Publish(new MeterValuesReported(session.Group.Id, session.ChargePointId, connectorId, transactionId, meterWh.Value, clock.GetUtcNow()), cancellation);
        return [];
    }

    // No vendor-specific extensions are known here, which the standard answers with UnknownVendorId.
    private JsonObject DataTransfer(PayloadReader reader)
    {
        var vendorId = reader.RequiredString("vendorId", 255);
        reader.OptionalString("messageId", 50);
        reader.OptionalString("data", int.MaxValue);
        reader.End();
        logger.LogInformation("DataTransfer from vendor {VendorId} answered UnknownVendorId", vendorId);
        return new JsonObject { ["status"] = "UnknownVendorId" };
    }

    private JsonObject Heartbeat(PayloadReader reader)
    {
        reader.End();
        return new JsonObject { ["currentTime"] = Now() };
    }

    private async Task<JsonObject> Authorize(StationConnection session, PayloadReader reader, CancellationToken cancellation)
    {
        var idTag = reader.RequiredString("idTag", IdTag.MaxLength);
        reader.End();
        return new JsonObject { ["idTagInfo"] = await IdTagInfo(session, idTag, cancellation) };
    }

    private JsonObject Noted(string action, PayloadReader reader, string status)
    {
        reader.End();
        logger.LogInformation("{OcppAction}: {Status}", action, status);
        return [];
    }

    // ChargeLink authorizes only the idTags it handed to the station with RemoteStartTransaction, on this connection
    // or, by any gateway instance, before it.
    private async Task<JsonObject> IdTagInfo(StationConnection session, string idTag, CancellationToken cancellation) =>
        new() { ["status"] = session.IssuedIdTag(idTag) || await commands.WasIssued(session.ChargePointId, idTag, cancellation) ? "Accepted" : "Invalid" };

    private string Now() => clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}
