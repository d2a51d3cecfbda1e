using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;

namespace ChargeLink.UnitTests.Domain;

/// <summary>The rules of the invention, each as given events / when a fact / then events.</summary>
public sealed partial class GroupDeciderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = T0.AddMinutes(10);

    private static ConnectorStatusReported Status(string station, int connector, ConnectorStatus status, int atSecond) =>
        new(new ConnectorRef(station, connector), status, StationTimestamp: null, ReceivedAt: T0.AddSeconds(atSecond));

    private static PaymentAuthorizationReported Payment(string paymentId, int atSecond) =>
        new(paymentId, "TERM-1", new Money(5000, "EUR"), T0.AddSeconds(atSecond), T0.AddSeconds(atSecond));

    private static ConnectorOccupied Occupied(string station, int connector, int atSecond) => new(station, connector, T0.AddSeconds(atSecond), null);

    private static PaymentAuthorizationReceived Received(string paymentId, int atSecond) =>
        new(paymentId, "TERM-1", 5000, "EUR", T0.AddSeconds(atSecond), T0.AddSeconds(atSecond), PricePerKwhMinor: 45);

    private static ChargingStartRequested Started(string paymentId, string station, int connector) =>
        new(paymentId, station, connector, TestTags.For(paymentId), Now);

    internal static readonly GroupPolicy Policy = new(new Tariff(45, "EUR"), TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120)) { IdTagKey = TestTags.Key };

    private static IReadOnlyList<IGroupEvent> When(GroupFact fact, params IGroupEvent[] given) =>
        GroupDecider.Decide(GroupState.Fold(given), fact, Now, Policy);

    [Test]
    public void Rule2_Preparing_makes_a_connector_a_candidate_occupied_at_the_time_of_receipt_whatever_the_station_clock_says()
    {
        var stationClock = T0.AddYears(-3);
        var fact = new ConnectorStatusReported(new ConnectorRef("CP-1", 1), ConnectorStatus.Preparing, stationClock, T0);
        Assert.That(When(fact), Is.EqualTo(new IGroupEvent[] { new ConnectorOccupied("CP-1", 1, T0, stationClock) }));
    }

    [Test]
    public void Rule4_a_candidate_without_a_payment_waits() =>
        Assert.That(When(Status("CP-1", 1, ConnectorStatus.Preparing, 0)), Has.None.InstanceOf<ChargingStartRequested>());

    [Test]
    public void Rule5_a_payment_without_a_candidate_waits() =>
        Assert.That(When(Payment("pay-1", 0)), Is.EqualTo(new IGroupEvent[] { Received("pay-1", 0) }));

    [Test]
    public void Rule3_a_payment_starts_the_waiting_candidate() =>
        Assert.That(
            When(Payment("pay-1", 5), Occupied("CP-1", 2, 0)),
            Is.EqualTo(new IGroupEvent[] { Received("pay-1", 5), Started("pay-1", "CP-1", 2) }));

    [Test]
    public void Rule3_a_candidate_starts_the_waiting_payment() =>
        Assert.That(
            When(Status("CP-1", 1, ConnectorStatus.Preparing, 9), Received("pay-1", 0)),
            Is.EqualTo(new IGroupEvent[] { Occupied("CP-1", 1, 9), Started("pay-1", "CP-1", 1) }));

    [Test]
    public void Rule6_with_several_candidates_the_earliest_occupied_wins_even_when_its_event_arrived_later() =>
        Assert.That(
            When(Payment("pay-1", 20), Occupied("CP-2", 1, 10), Occupied("CP-1", 2, 3), Occupied("CP-3", 1, 15)),
            Has.Member(Started("pay-1", "CP-1", 2)));

    [Test]
    public void Rule6_candidates_occupied_at_the_same_moment_are_served_in_order_of_arrival() =>
        Assert.That(
            When(Payment("pay-1", 20), Occupied("CP-2", 1, 10), Occupied("CP-1", 1, 10)),
            Has.Member(Started("pay-1", "CP-2", 1)));

    [Test]
    public void Rule6_with_several_payments_the_first_authorized_is_served_first()
    {
        var events = When(Status("CP-1", 1, ConnectorStatus.Preparing, 30), Received("pay-1", 0), Received("pay-2", 1));
        Assert.That(events.OfType<ChargingStartRequested>().Select(s => s.PaymentId), Is.EqualTo(new[] { "pay-1" }));
    }

    [Test]
    public void Rule6_one_payment_never_starts_two_connectors()
    {
        var events = When(Payment("pay-1", 20), Occupied("CP-1", 1, 0), Occupied("CP-1", 2, 1));
        Assert.That(events.OfType<ChargingStartRequested>().Count(), Is.EqualTo(1));
        var state = GroupState.Fold([Occupied("CP-1", 1, 0), Occupied("CP-1", 2, 1), .. events]);
        Assert.That(state.Candidates.Select(c => c.Connector), Is.EqualTo(new[] { new ConnectorRef("CP-1", 2) }), "the other connector still waits");
    }

    [Test]
    public void Rule11_the_same_payment_delivered_again_is_the_same_payment() =>
        Assert.That(When(Payment("pay-1", 9), Received("pay-1", 0)), Is.Empty);

    [Test]
    public void Rule11_the_same_payment_delivered_again_after_it_started_charging_starts_nothing() =>
        Assert.That(When(Payment("pay-1", 9), Occupied("CP-1", 1, 0), Received("pay-1", 1), Started("pay-1", "CP-1", 1)), Is.Empty);

    [Test]
    public void Rule2_Preparing_reported_twice_is_one_occupancy() =>
        Assert.That(When(Status("CP-1", 1, ConnectorStatus.Preparing, 5), Occupied("CP-1", 1, 0)), Is.Empty);

    [TestCase(ConnectorStatus.Available)]
    [TestCase(ConnectorStatus.Unavailable)]
    [TestCase(ConnectorStatus.Faulted)]
    [TestCase(ConnectorStatus.Charging)]
    public void Rule7_a_candidate_that_leaves_Preparing_is_no_longer_a_candidate(ConnectorStatus status)
    {
        var events = When(Status("CP-1", 1, status, 5), Occupied("CP-1", 1, 0));
        Assert.That(events, Is.EqualTo(new IGroupEvent[] { new ConnectorVacated("CP-1", 1, status, T0.AddSeconds(5)) }));
        Assert.That(When(Payment("pay-1", 9), [Occupied("CP-1", 1, 0), .. events]), Has.None.InstanceOf<ChargingStartRequested>(), "a later payment finds no candidate");
    }

    [Test]
    public void Rule7_a_status_that_changes_no_candidacy_is_only_noted() =>
        Assert.That(When(Status("CP-1", 1, ConnectorStatus.Available, 5)), Is.EqualTo(new IGroupEvent[] { new ConnectorStatusNoted("CP-1", 1, ConnectorStatus.Available, T0.AddSeconds(5)) }));

    [Test]
    public void Rule7_a_Preparing_that_arrives_after_a_newer_Available_is_stale_and_changes_nothing()
    {
        var unplugged = new ConnectorStatusNoted("CP-1", 1, ConnectorStatus.Available, T0.AddSeconds(10));
        Assert.That(When(Status("CP-1", 1, ConnectorStatus.Preparing, 5), unplugged), Is.Empty);
        Assert.That(When(Status("CP-1", 1, ConnectorStatus.Preparing, 5), Occupied("CP-1", 1, 0), new ConnectorVacated("CP-1", 1, ConnectorStatus.Available, T0.AddSeconds(10))), Is.Empty);
        Assert.That(When(Status("CP-1", 1, ConnectorStatus.Preparing, 11), unplugged), Has.Member(Occupied("CP-1", 1, 11)), "a newer Preparing still counts");
    }

    [Test]
    public void Rule6_a_connector_already_started_for_a_payment_does_not_become_a_candidate_again() =>
        Assert.That(When(Status("CP-1", 1, ConnectorStatus.Preparing, 9), Occupied("CP-1", 1, 0), Received("pay-1", 1), Started("pay-1", "CP-1", 1)), Is.Empty);

    [Test]
    public void Rule2_candidates_of_different_stations_with_the_same_connector_id_are_distinct()
    {
        var state = GroupState.Fold([Occupied("CP-1", 1, 0), Occupied("CP-2", 1, 1)]);
        Assert.That(state.Candidates, Has.Length.EqualTo(2));
    }
}
