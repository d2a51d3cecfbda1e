namespace ChargeLink.Domain.Groups;

/// <summary>
/// Rule 8: a session's energy is its own last reading minus its own start reading, and only readings that can be
/// believed count. Every number here came from a station, so each is bounded before it is subtracted, and nothing
/// overflows.
/// </summary>
/// <param name="Wh">The energy delivered; 0 when none or when the readings are implausible.</param>
/// <param name="Implausible">The readings ran backwards, lie outside a register's range, or show more energy than the
/// connector could deliver in the session's time: the session is voided (<see
/// cref="VoidReason.MeterImplausible"/>).</param>
public readonly record struct SessionEnergy(long Wh, bool Implausible)
{
    /// <param name="startWh">The session's start reading; null when the station never told one (then the stop is the
    /// first
    /// reading, and no energy is known to have been delivered).</param>
    /// <param name="stopWh">The reading that ends the session.</param>
    /// <param name="duration">How long the session charged, on ChargeLink's clock (never the station's).</param>
    /// <param name="maxPowerW">The most power the connector is believed to deliver.</param>
    public static SessionEnergy Between(long? startWh, long stopWh, TimeSpan duration, long maxPowerW)
    {
        var start = startWh ?? stopWh;
        if (!MeterBounds.IsPlausibleRegister(start) || !MeterBounds.IsPlausibleRegister(stopWh) || stopWh < start)
            return new SessionEnergy(0, Implausible: true);
        var energy = stopWh - start;
        var seconds = (long)
            Math.Ceiling(Math.Max(duration.TotalSeconds, GroupPolicy.MinimumPlausibleDuration.TotalSeconds));
        var deliverable = (Int128)Math.Max(0, maxPowerW) * seconds / 3600;
        return energy > deliverable
            ? new SessionEnergy(0, Implausible: true)
            : new SessionEnergy(energy, Implausible: false);
    }
}
