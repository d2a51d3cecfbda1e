namespace ChargeLink.Gateway.StationRules;

/// <summary>The time the gateway tells a station (Heartbeat, BootNotification): UTC, milliseconds, as every version
/// writes it.</summary>
public static class StationClock
{
    public static string Now(TimeProvider clock) =>
        clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
