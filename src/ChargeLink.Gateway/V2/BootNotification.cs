using MassTransit;

namespace ChargeLink.Gateway.V2;

/// <summary>A station (re)starts: the group learns of the reboot before anything the station reports after
/// it.</summary>
public sealed class BootNotification(
    IBus bus,
    TimeProvider clock,
    GatewayOptions options,
    ILogger<BootNotification> logger
) : IV2Action
{
    public string Action => "BootNotification";

    public async Task<JsonObject> Answer(StationCall request, V2Dialect dialect, CancellationToken cancellation)
    {
        var (station, _, payload) = request;
        payload.RequiredOneOf(
            "reason",
            "ApplicationReset",
            "FirmwareUpdate",
            "LocalReset",
            "PowerUp",
            "RemoteReset",
            "ScheduledReset",
            "Triggered",
            "Unknown",
            "Watchdog"
        );
        station.ForgetForwardedStatuses();
        await bus.Publish(new StationBooted(station.Group.Id, station.ChargePointId, clock.GetUtcNow()), cancellation);
        logger.LogInformation(
            "Station {ChargePointId} booted ({Subprotocol})",
            station.ChargePointId,
            dialect.Subprotocol
        );
        return new JsonObject
        {
            ["currentTime"] = StationClock.Now(clock),
            ["interval"] = options.HeartbeatIntervalSeconds,
            ["status"] = "Accepted",
        };
    }
}
