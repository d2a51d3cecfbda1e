using MassTransit;

namespace ChargeLink.Gateway.V16;

/// <summary>
/// A station (re)starts. Published before the answer, like a status: the group learns of the reboot before anything the
/// station reports after it. Unknown stations never get this far: they are refused at the WebSocket upgrade.
/// </summary>
public sealed class BootNotification(
    IBus bus,
    TimeProvider clock,
    GatewayOptions options,
    ILogger<BootNotification> logger
) : IV16Action
{
    public string Action => "BootNotification";

    public async Task<JsonObject> Answer(StationCall request, CancellationToken cancellation)
    {
        var (station, _, payload) = request;
        var vendor = payload.RequiredString("chargePointVendor", 20);
        var model = payload.RequiredString("chargePointModel", 20);
        payload.OptionalString("chargePointSerialNumber", 25);
        payload.OptionalString("chargeBoxSerialNumber", 25);
        payload.OptionalString("firmwareVersion", 50);
        payload.OptionalString("iccid", 20);
        payload.OptionalString("imsi", 20);
        payload.OptionalString("meterType", 25);
        payload.OptionalString("meterSerialNumber", 25);
        payload.End();
        station.ForgetForwardedStatuses();
        await bus.Publish(new StationBooted(station.Group.Id, station.ChargePointId, clock.GetUtcNow()), cancellation);
        logger.LogInformation("Station booted: {Vendor} {Model}", vendor, model);
        return new JsonObject
        {
            ["status"] = "Accepted",
            ["currentTime"] = StationClock.Now(clock),
            ["interval"] = options.HeartbeatIntervalSeconds,
        };
    }
}
