using ChargeLink.Domain.Groups;

namespace ChargeLink.UnitTests.Domain;

/// <summary>
/// Where one fact ends several sessions at once, the events come in a fixed order: by time, then by station (ordinal)
/// and connector. The group's dictionaries iterate in an order that follows the process's string hash seed, so without
/// the tie-break two orchestrators (or a retry after a failover) would write the same decision in different orders.
/// Twelve sessions tied in time make an order by luck one chance in 479 million.
/// </summary>
public sealed partial class GroupDeciderTests
{
    // Listed out of order on purpose: neither the order of the given events nor insertion order is the expected one.
    private static readonly string[] TiedStations =
    [
        "CP-07",
        "CP-03",
        "CP-11",
        "CP-00",
        "CP-09",
        "CP-01",
        "CP-10",
        "CP-05",
        "CP-02",
        "CP-08",
        "CP-04",
        "CP-06",
    ];

    private static readonly string[] TiedStationsInOrder =
    [
        "CP-00",
        "CP-01",
        "CP-02",
        "CP-03",
        "CP-04",
        "CP-05",
        "CP-06",
        "CP-07",
        "CP-08",
        "CP-09",
        "CP-10",
        "CP-11",
    ];

    // Every station's connector occupied at its own second, every payment authorized at second 0, every start requested
    // at Now: the sessions' PhaseSince is the same instant.
    private static IGroupEvent[] TwelveStartsRequestedAtOnce() =>
        [
            .. TiedStations.Select((station, i) => (IGroupEvent)Occupied(station, 1, i)),
            .. TiedStations.Select(station => (IGroupEvent)Received($"pay-{station}", 0)),
            .. TiedStations.Select(station => (IGroupEvent)Started($"pay-{station}", station, 1)),
        ];

    [Test]
    public void Starts_that_time_out_at_the_same_moment_fail_in_station_order()
    {
        var events = When(new ClockTicked(Now.AddHours(1)), TwelveStartsRequestedAtOnce());
        Assert.That(events.OfType<RemoteStartFailed>().Select(e => e.ChargePointId), Is.EqualTo(TiedStationsInOrder));
    }
}
