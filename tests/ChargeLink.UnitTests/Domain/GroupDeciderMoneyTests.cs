using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;

namespace ChargeLink.UnitTests.Domain;

/// <summary>
/// Rule 8, the money invariant, against what a hostile or broken station and a wrong message can say: every figure below
/// is worked out by hand from a tariff of 45 cents per kWh, a hold of 5,000 EUR cents and a 400 kW connector.
/// </summary>
public sealed class GroupDeciderMoneyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly ConnectorRef C1 = new("CP-1", 1);
    private static readonly ConnectorRef C2 = new("CP-1", 2);
    private static readonly ConnectorRef Foreign = new("CP-2", 7);

    private static readonly GroupPolicy Policy = GroupDeciderTests.Policy with
    {
        Connectors = [C1, C2, new("CP-2", 1)],
        MaxChargingDuration = TimeSpan.FromHours(24),
        StopGrace = TimeSpan.FromMinutes(15),
    };

    private static readonly string Tag = TestTags.For("pay-1");

    private static IReadOnlyList<IGroupEvent> When(GroupFact fact, DateTimeOffset now, IEnumerable<IGroupEvent> given, GroupPolicy? policy = null) =>
        GroupDecider.Decide(GroupState.Fold(given), fact, now, policy ?? Policy);

    private static PaymentAuthorizationReceived Received(string paymentId, int atSecond, long price = 45) =>
        new(paymentId, "TERM-1", 5000, "EUR", T0.AddSeconds(atSecond), T0.AddSeconds(atSecond), price);

    private static IGroupEvent[] Requested(ConnectorRef connector) =>
    [
        new ConnectorOccupied(connector.ChargePointId, connector.ConnectorId, T0, null),
        Received("pay-1", 1),
        new ChargingStartRequested("pay-1", connector.ChargePointId, connector.ConnectorId, Tag, T0.AddSeconds(1)),
    ];

    private static IGroupEvent[] Charging(long? meterStart, long price = 45) =>
    [
        new ConnectorOccupied("CP-1", 1, T0, null),
        Received("pay-1", 1, price),
        new ChargingStartRequested("pay-1", "CP-1", 1, Tag, T0.AddSeconds(1)),
        new RemoteStartAccepted("pay-1", "CP-1", 1, T0.AddSeconds(2)),
        new ChargingStarted("pay-1", "CP-1", 1, 77, meterStart, T0.AddSeconds(3)),
    ];

    private static IEnumerable<IGroupEvent> Settlements(IEnumerable<IGroupEvent> events) => events.Where(e => e is PaymentCaptureRequested or PaymentVoidRequested);

    // An end without a reading (a 2.x Ended after a gateway restart: the station put its reading in the last Updated,
    // which the restarted gateway never saw) ends at the session's own last reading, not at 0: 10,000 to 30,000 Wh is
    // 20 kWh x 45 = 900. It was voided as implausible (a stop of 0 below a start of 10,000).
    [Test]
    public void An_end_without_a_reading_is_settled_at_the_sessions_own_last_reading()
    {
        var charging = Charging(10_000).ToList();
        charging.Add(new MeterReadingNoted("pay-1", "CP-1", 1, 77, 30_000, T0.AddMinutes(30)));
        var end = T0.AddHours(1);
        var events = When(new TransactionStopReported("CP-1", 77, null, end), end, charging);
        Assert.That(events, Is.EqualTo(new IGroupEvent[]
        {
            new ChargingStopped("pay-1", "CP-1", 1, 77, 30_000, 20_000, end),
            new PaymentCaptureRequested("pay-1", 900, "EUR", 20_000, "CP-1-1-77", end),
        }));
    }

    // A session whose StopTransaction was lost (a reboot), and the next car starts by RFID on the same connector: the
    // session ends there at its own last reading (10,000 to 20,000 Wh: 10 kWh x 45 = 450), and a reading without a
    // transaction id after it is the next car's, billed to nobody. It was kept open and billed the next car's 50 kWh
    // (2,700) at the bound, and the connector took no payment for 24 hours.
    [Test]
    public void Another_transaction_on_a_charging_connector_ends_the_session_at_its_own_last_reading()
    {
        var charging = Charging(10_000).ToList();
        charging.Add(new MeterReadingNoted("pay-1", "CP-1", 1, 77, 20_000, T0.AddMinutes(30)));
        var next = T0.AddHours(2);
        var events = When(new TransactionStartReported(C1, "RFID-NEXT-CAR", 901, 20_000, next), next, charging);
        Assert.That(events, Is.EqualTo(new IGroupEvent[]
        {
            new ChargingEndedWithoutStop("pay-1", "CP-1", 1, 77, 20_000, 10_000, next),
            new PaymentCaptureRequested("pay-1", 450, "EUR", 10_000, "CP-1-1-77", next),
        }));
        charging.AddRange(events);
        Assert.That(When(new MeterReadingReported(C1, null, 70_000, next.AddHours(1)), next.AddHours(1), charging), Is.Empty, "the next car's reading is nobody's");
        Assert.That(When(new TransactionStartReported(C1, Tag, 77, 10_000, next.AddHours(1)), next.AddHours(1), charging), Is.Empty, "the session's own start again ends nothing");
    }

    // Fault 1: meterStart -2^31, a register of 2^63 - 1, no stop: settled at the overdue bound.
    [Test]
    public void A_negative_start_and_a_register_beyond_any_meter_never_make_a_capture_even_at_the_overdue_bound()
    {
        var charging = Charging(int.MinValue).ToList();
        var huge = When(new MeterReadingReported(C1, 77, long.MaxValue, T0.AddMinutes(10)), T0.AddMinutes(10), charging);
        Assert.That(huge, Is.Empty, "a register beyond 100 GWh is no reading");
        var overdue = T0.AddSeconds(3).AddHours(24);
        charging.AddRange(When(new ClockTicked(overdue), overdue, charging));
        var settles = overdue.AddMinutes(15);
        Assert.That(Settlements(When(new ClockTicked(settles), settles, charging)),
            Is.EqualTo(new IGroupEvent[] { new PaymentVoidRequested("pay-1", VoidReason.MeterImplausible, settles) }));
    }

    [Test]
    public void A_reading_beyond_what_the_connector_could_deliver_voids_the_session_instead_of_capturing_the_hold()
    {
        // 10 minutes of charging count as an hour: at most 400 kWh. 1,000 -> 500,001,000 Wh is 500 MWh.
        var stop = new TransactionStopReported("CP-1", 77, 500_001_000, T0.AddMinutes(10));
        Assert.That(Settlements(When(stop, stop.ReceivedAt, Charging(1000))),
            Is.EqualTo(new IGroupEvent[] { new PaymentVoidRequested("pay-1", VoidReason.MeterImplausible, stop.ReceivedAt) }));
    }

    [Test]
    public void A_stop_reading_below_the_start_is_implausible_not_a_negative_capture()
    {
        var stop = new TransactionStopReported("CP-1", 77, 400, T0.AddMinutes(10));
        Assert.That(Settlements(When(stop, stop.ReceivedAt, Charging(1000))),
            Is.EqualTo(new IGroupEvent[] { new PaymentVoidRequested("pay-1", VoidReason.MeterImplausible, stop.ReceivedAt) }));
    }

    [Test]
    public void Four_hundred_kWh_within_the_first_hour_is_still_believed_and_capped_at_the_hold()
    {
        // 400,000 Wh x 45 / 1000 = 18,000 cents, more than the 5,000 held.
        var stop = new TransactionStopReported("CP-1", 77, 1000 + 400_000, T0.AddMinutes(10));
        Assert.That(Settlements(When(stop, stop.ReceivedAt, Charging(1000))),
            Is.EqualTo(new IGroupEvent[] { new PaymentCaptureRequested("pay-1", 5000, "EUR", 400_000, "CP-1-1-77", stop.ReceivedAt) }));
    }

    // Fault 3: a lifetime register and a start the station never told before the payment's token.
    [Test]
    public void A_session_without_a_start_reading_takes_its_first_reading_as_its_start_and_never_bills_the_register()
    {
        var charging = Charging(null).ToList();
        charging.AddRange(When(new MeterReadingReported(C1, 77, 12_345_678, T0.AddSeconds(10)), T0.AddSeconds(10), charging));
        var stop = new TransactionStopReported("CP-1", 77, 12_357_678, T0.AddMinutes(30));
        // 12,000 Wh x 45 / 1000 = 540.
        Assert.That(Settlements(When(stop, stop.ReceivedAt, charging)),
            Is.EqualTo(new IGroupEvent[] { new PaymentCaptureRequested("pay-1", 540, "EUR", 12_000, "CP-1-1-77", stop.ReceivedAt) }));
    }

    [Test]
    public void A_session_whose_only_reading_is_its_stop_delivered_nothing_known()
    {
        var stop = new TransactionStopReported("CP-1", 77, 12_357_678, T0.AddMinutes(30));
        Assert.That(Settlements(When(stop, stop.ReceivedAt, Charging(null))),
            Is.EqualTo(new IGroupEvent[] { new PaymentVoidRequested("pay-1", VoidReason.NoEnergyDelivered, stop.ReceivedAt) }));
    }

    // Fault 2: the start on CP-1/1 was refused; CP-2/7 (outside the topology) and CP-1/2 (never asked) use the tag.
    [TestCase("CP-2", 7)]
    [TestCase("CP-1", 2)]
    public void A_payments_tag_on_a_connector_never_asked_starts_no_session_and_the_station_is_asked_to_stop(string station, int connector)
    {
        IGroupEvent[] refused = [.. Requested(C1), new RemoteStartFailed("pay-1", "CP-1", 1, RemoteStartOutcome.Rejected, T0.AddSeconds(2))];
        var start = new TransactionStartReported(new ConnectorRef(station, connector), Tag, 5, 0, T0.AddSeconds(5));
        Assert.That(When(start, start.ReceivedAt, refused),
            Is.EqualTo(new IGroupEvent[] { new ChargingStopRequested("pay-1", station, connector, 5, start.ReceivedAt) }));
        var stop = new TransactionStopReported(station, 5, 100_000_000, T0.AddSeconds(9));
        Assert.That(Settlements(When(stop, stop.ReceivedAt, [.. refused, .. When(start, start.ReceivedAt, refused)])), Is.Empty, "no capture for a session that is not the payment's");
    }

    [Test]
    public void The_connector_that_was_asked_may_still_start_late_with_the_tag()
    {
        IGroupEvent[] refused = [.. Requested(C1), new RemoteStartFailed("pay-1", "CP-1", 1, RemoteStartOutcome.TimedOut, T0.AddSeconds(2))];
        var start = new TransactionStartReported(C1, Tag, 5, 1000, T0.AddSeconds(5));
        Assert.That(When(start, start.ReceivedAt, refused), Has.Some.EqualTo(new ChargingStarted("pay-1", "CP-1", 1, 5, 1000, start.ReceivedAt)));
    }

    // Fault 4: accepted, the connection drops, the station reboots and reports its connector Available, then a new car.
    [Test]
    public void A_start_lost_to_a_reboot_is_voided_when_its_car_leaves_and_never_takes_the_next_car()
    {
        List<IGroupEvent> life = [.. Requested(C1), new RemoteStartAccepted("pay-1", "CP-1", 1, T0.AddSeconds(2))];
        var boot = new StationBootReported("CP-1", T0.AddSeconds(20));
        life.AddRange(When(boot, boot.ReceivedAt, life));
        Assert.That(life[^1], Is.EqualTo(new RemoteStartLost("pay-1", "CP-1", 1, boot.ReceivedAt)));

        var elsewhere = new ConnectorStatusReported(C2, ConnectorStatus.Preparing, null, T0.AddSeconds(21));
        var onC2 = When(elsewhere, elsewhere.ReceivedAt, life);
        Assert.That(onC2, Has.None.InstanceOf<ChargingStartRequested>(), "the lost start's payment never takes another connector's car");

        var left = new ConnectorStatusReported(C1, ConnectorStatus.Available, null, T0.AddSeconds(22));
        var voided = When(left, left.ReceivedAt, life);
        Assert.That(Settlements(voided), Is.EqualTo(new IGroupEvent[] { new PaymentVoidRequested("pay-1", VoidReason.ChargingNotStarted, left.ReceivedAt) }));
        life.AddRange(voided);

        var newCar = new ConnectorStatusReported(C1, ConnectorStatus.Preparing, null, T0.AddSeconds(30));
        life.AddRange(When(newCar, newCar.ReceivedAt, life));
        var newDriver = new PaymentAuthorizationReported("pay-2", "TERM-1", new Money(5000, "EUR"), T0.AddSeconds(31), T0.AddSeconds(31));
        Assert.That(When(newDriver, newDriver.ReceivedAt, life), Has.Some.EqualTo(new ChargingStartRequested("pay-2", "CP-1", 1, TestTags.For("pay-2"), newDriver.ReceivedAt)),
            "the new driver's payment gets the new car");
    }

    [Test]
    public void A_start_lost_to_a_reboot_restarts_on_its_own_connector_when_the_car_is_still_there()
    {
        List<IGroupEvent> life = [.. Requested(C1), new RemoteStartAccepted("pay-1", "CP-1", 1, T0.AddSeconds(2)), new RemoteStartLost("pay-1", "CP-1", 1, T0.AddSeconds(20))];
        var stillThere = new ConnectorStatusReported(C1, ConnectorStatus.Preparing, null, T0.AddSeconds(21));
        Assert.That(When(stillThere, T0.AddSeconds(21), life), Has.Some.EqualTo(new ChargingStartRequested("pay-1", "CP-1", 1, Tag, T0.AddSeconds(21))));
    }

    [Test]
    public void A_lost_start_refused_on_its_own_connector_is_voided_when_the_car_leaves_and_frees_the_connector()
    {
        // Found by the property test: the connector is a candidate again after the refusal, and its Available must end that too.
        List<IGroupEvent> life = [.. Requested(C1), new RemoteStartLost("pay-1", "CP-1", 1, T0.AddSeconds(20))];
        var replugged = new ConnectorStatusReported(C1, ConnectorStatus.Preparing, null, T0.AddSeconds(21));
        life.AddRange(When(replugged, replugged.ReceivedAt, life));
        var refused = new RemoteStartAnswerReported("pay-1", C1, RemoteStartOutcome.Rejected, T0.AddSeconds(22));
        life.AddRange(When(refused, refused.ReceivedAt, life));
        Assert.That(GroupState.Fold(life).IsCandidate(C1), Is.True, "still plugged in");
        var left = new ConnectorStatusReported(C1, ConnectorStatus.Available, null, T0.AddSeconds(23));
        Assert.That(When(left, left.ReceivedAt, life), Is.EqualTo(new IGroupEvent[]
        {
            new ConnectorVacated("CP-1", 1, ConnectorStatus.Available, left.ReceivedAt),
            new PaymentVoidRequested("pay-1", VoidReason.ChargingNotStarted, left.ReceivedAt),
        }));
    }

    [Test]
    public void A_start_lost_to_a_reboot_with_no_report_is_voided_a_payment_wait_after_the_reboot()
    {
        IGroupEvent[] lost = [.. Requested(C1), new RemoteStartAccepted("pay-1", "CP-1", 1, T0.AddSeconds(2)), new RemoteStartLost("pay-1", "CP-1", 1, T0.AddSeconds(20))];
        var due = T0.AddSeconds(20 + 180);
        Assert.That(GroupState.Fold(lost).NextDeadline(Policy), Is.EqualTo(due));
        Assert.That(When(new ClockTicked(due), due, lost), Is.EqualTo(new IGroupEvent[] { new PaymentVoidRequested("pay-1", VoidReason.ChargingNotStarted, due) }));
    }

    // Fault 5 and 6: currencies and holds at the group's door.
    [TestCase("JPY", 5000, VoidReason.CurrencyNotAccepted)]
    [TestCase("EUR", 50_001, VoidReason.HoldAboveMaximum)]
    [TestCase("EUR", long.MaxValue, VoidReason.HoldAboveMaximum)]
    public void A_payment_that_could_never_be_captured_rightly_is_voided_on_arrival(string currency, long held, string reason)
    {
        var occupied = new ConnectorOccupied("CP-1", 1, T0, null);
        var payment = new PaymentAuthorizationReported("pay-1", "TERM-1", new Money(held, currency), T0.AddSeconds(1), T0.AddSeconds(1));
        Assert.That(When(payment, payment.ReceivedAt, [occupied]), Is.EqualTo(new IGroupEvent[]
        {
            new PaymentAuthorizationReceived("pay-1", "TERM-1", held, currency, payment.AuthorizedAt, payment.ReceivedAt, 45),
            new PaymentVoidRequested("pay-1", reason, payment.ReceivedAt),
        }));
    }

    [Test]
    public void A_session_is_settled_at_the_tariff_its_payment_arrived_under()
    {
        // The topology's tariff went to 90 since; the payment came at 45: 12,000 Wh -> 540.
        var stop = new TransactionStopReported("CP-1", 77, 13_000, T0.AddMinutes(30));
        var repriced = Policy with { Tariff = new Tariff(90, "EUR") };
        Assert.That(Settlements(When(stop, stop.ReceivedAt, Charging(1000), repriced)),
            Is.EqualTo(new IGroupEvent[] { new PaymentCaptureRequested("pay-1", 540, "EUR", 12_000, "CP-1-1-77", stop.ReceivedAt) }));
    }

    // Fault 7: the group left the topology.
    [Test]
    public void A_group_that_left_the_topology_voids_its_waiting_payments_and_unstarted_starts_at_once()
    {
        var removed = GroupPolicy.Removed(Policy with { Tariff = new Tariff(0, "") });
        IGroupEvent[] given = [.. Requested(C1), Received("pay-2", 2)];
        var tick = new ClockTicked(T0.AddSeconds(5));
        Assert.That(When(tick, tick.Now, given, removed), Is.EqualTo(new IGroupEvent[]
        {
            new PaymentVoidRequested("pay-1", VoidReason.GroupRemoved, tick.Now),
            new PaymentVoidRequested("pay-2", VoidReason.GroupRemoved, tick.Now),
        }));
        var plug = new ConnectorStatusReported(C2, ConnectorStatus.Preparing, null, T0.AddSeconds(5));
        Assert.That(When(plug, plug.ReceivedAt, [Received("pay-3", 1)], removed), Is.EqualTo(new IGroupEvent[] { new PaymentVoidRequested("pay-3", VoidReason.GroupRemoved, plug.ReceivedAt) }),
            "nothing starts: the payment is voided, the plug-in is not a candidate");
    }

    [Test]
    public void A_session_charging_when_its_group_left_the_topology_settles_from_its_readings_at_its_payments_price()
    {
        var removed = GroupPolicy.Removed(Policy with { Tariff = new Tariff(0, "") });
        var stop = new TransactionStopReported("CP-1", 77, 13_000, T0.AddMinutes(30));
        Assert.That(Settlements(When(stop, stop.ReceivedAt, Charging(1000), removed)),
            Is.EqualTo(new IGroupEvent[] { new PaymentCaptureRequested("pay-1", 540, "EUR", 12_000, "CP-1-1-77", stop.ReceivedAt) }));
        Assert.That(GroupState.Fold(Charging(1000)).NextDeadline(removed), Is.EqualTo(T0.AddSeconds(3).AddHours(24)), "an unreported end still settles at the overdue bound");
    }
}
