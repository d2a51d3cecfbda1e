using ChargeLink.Domain.Groups;

namespace ChargeLink.UnitTests.Domain;

/// <summary>
/// Rule 12: no session waits for ever. A session that charges past the bound without StopTransaction is overdue and the
/// station is asked to stop; if the stop is still not reported after the grace, the session ends at the last meter
/// reading ChargeLink holds and the payment is settled for that energy, never more.
/// </summary>
public sealed class GroupDeciderOverdueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly ConnectorRef C1 = new("CP-1", 1);

    // 24 h bound, 15 min grace, 45 EUR cents per kWh, 5,000 held: the figures below are worked out by hand from these.
    private static readonly GroupPolicy Policy = GroupDeciderTests.Policy with { MaxChargingDuration = TimeSpan.FromHours(24), StopGrace = TimeSpan.FromMinutes(15) };
    private static readonly DateTimeOffset ChargingFrom = T0.AddSeconds(3);
    private static readonly DateTimeOffset Overdue = ChargingFrom.AddHours(24);
    private static readonly DateTimeOffset Settles = Overdue.AddMinutes(15);

    private static IGroupEvent[] Charging() =>
    [
        new ConnectorOccupied("CP-1", 1, T0, null),
        new PaymentAuthorizationReceived("pay-1", "TERM-1", 5000, "EUR", T0.AddSeconds(1), T0.AddSeconds(1)),
        new ChargingStartRequested("pay-1", "CP-1", 1, TestTags.For("pay-1"), T0.AddSeconds(1)),
        new RemoteStartAccepted("pay-1", "CP-1", 1, T0.AddSeconds(2)),
        new ChargingStarted("pay-1", "CP-1", 1, 77, 1000, ChargingFrom),
    ];

    private static IReadOnlyList<IGroupEvent> When(GroupFact fact, DateTimeOffset now, params IGroupEvent[] given) =>
        GroupDecider.Decide(GroupState.Fold(given), fact, now, Policy);

    private static MeterReadingReported Reading(long meterWh, DateTimeOffset at, int? transaction = 77) => new(C1, transaction, meterWh, at);

    [Test]
    public void Rule12_a_charging_session_has_a_deadline_at_the_bound() =>
        Assert.That(GroupState.Fold(Charging()).NextDeadline(Policy), Is.EqualTo(Overdue));

    [Test]
    public void Rule12_a_session_charging_past_the_bound_is_overdue_and_the_station_asked_to_stop()
    {
        Assert.That(When(new ClockTicked(Overdue.AddTicks(-1)), Overdue.AddTicks(-1), Charging()), Is.Empty, "not before the bound");
        Assert.That(When(new ClockTicked(Overdue), Overdue, Charging()),
            Is.EqualTo(new IGroupEvent[] { new ChargingOverdue("pay-1", "CP-1", 1, 77, ChargingFrom, Overdue) }));
    }

    [Test]
    public void Rule12_an_overdue_session_is_asked_once_and_then_given_the_grace()
    {
        IGroupEvent[] overdue = [.. Charging(), new ChargingOverdue("pay-1", "CP-1", 1, 77, ChargingFrom, Overdue)];
        Assert.That(GroupState.Fold(overdue).NextDeadline(Policy), Is.EqualTo(Settles));
        Assert.That(When(new ClockTicked(Settles.AddTicks(-1)), Settles.AddTicks(-1), overdue), Is.Empty);
    }

    [Test]
    public void Rule12_a_StopTransaction_after_the_stop_request_settles_as_usual()
    {
        IGroupEvent[] overdue = [.. Charging(), new ChargingOverdue("pay-1", "CP-1", 1, 77, ChargingFrom, Overdue)];
        var events = When(new TransactionStopReported("CP-1", 77, 1000 + 27_420, Overdue.AddMinutes(1)), Overdue.AddMinutes(1), overdue);
        // 27,420 Wh x 45 / 1000 = 1,233.9 -> 1,234
        Assert.That(events.OfType<PaymentCaptureRequested>().Single().AmountMinor, Is.EqualTo(1234));
    }

    [Test]
    public void Rule12_without_a_stop_the_session_ends_at_the_last_meter_reading_and_is_captured_for_it()
    {
        IGroupEvent[] given =
        [
            .. Charging(),
            new MeterReadingNoted("pay-1", "CP-1", 1, 77, 1000 + 10_000, ChargingFrom.AddHours(1)),
            new ChargingOverdue("pay-1", "CP-1", 1, 77, ChargingFrom, Overdue),
        ];
        var events = When(new ClockTicked(Settles), Settles, given);
        // 10,000 Wh x 45 / 1000 = 450
        Assert.That(events, Is.EqualTo(new IGroupEvent[]
        {
            new ChargingEndedWithoutStop("pay-1", "CP-1", 1, 77, 11_000, 10_000, Settles),
            new PaymentCaptureRequested("pay-1", 450, "EUR", 10_000, "CP-1-1-77", Settles),
        }));
        var after = GroupState.Fold([.. given, .. events]);
        Assert.That((after.Sessions.Count, after.NextDeadline(Policy)), Is.EqualTo((0, (DateTimeOffset?)null)), "nothing left waiting");
        Assert.That(When(new TransactionStopReported("CP-1", 77, 50_000, Settles.AddMinutes(1)), Settles.AddMinutes(1), [.. given, .. events]), Is.Empty, "a late stop changes nothing");
    }

    [Test]
    public void Rule12_without_a_stop_or_any_reading_the_payment_is_voided_stop_never_reported()
    {
        IGroupEvent[] given = [.. Charging(), new ChargingOverdue("pay-1", "CP-1", 1, 77, ChargingFrom, Overdue)];
        Assert.That(When(new ClockTicked(Settles), Settles, given), Is.EqualTo(new IGroupEvent[]
        {
            new ChargingEndedWithoutStop("pay-1", "CP-1", 1, 77, 1000, 0, Settles),
            new PaymentVoidRequested("pay-1", VoidReason.StopNeverReported, Settles),
        }));
    }

    [Test]
    public void Rule12_a_reading_that_would_cost_more_than_the_hold_is_capped_at_the_hold()
    {
        IGroupEvent[] given =
        [
            .. Charging(),
            new MeterReadingNoted("pay-1", "CP-1", 1, 77, 1000 + 500_000, ChargingFrom.AddHours(10)),
            new ChargingOverdue("pay-1", "CP-1", 1, 77, ChargingFrom, Overdue),
        ];
        Assert.That(When(new ClockTicked(Settles), Settles, given).OfType<PaymentCaptureRequested>().Single().AmountMinor, Is.EqualTo(5000));
    }

    [Test]
    public void Rule12_a_meter_reading_is_kept_when_it_rose_at_most_every_five_minutes()
    {
        var first = When(Reading(1500, ChargingFrom.AddMinutes(1)), ChargingFrom.AddMinutes(1), Charging());
        Assert.That(first, Is.EqualTo(new IGroupEvent[] { new MeterReadingNoted("pay-1", "CP-1", 1, 77, 1500, ChargingFrom.AddMinutes(1)) }));
        IGroupEvent[] kept = [.. Charging(), .. first];
        Assert.Multiple(() =>
        {
            Assert.That(When(Reading(1600, ChargingFrom.AddMinutes(5)), ChargingFrom.AddMinutes(5), kept), Is.Empty, "too soon after the last kept");
            Assert.That(When(Reading(1500, ChargingFrom.AddMinutes(7)), ChargingFrom.AddMinutes(7), kept), Is.Empty, "did not rise");
            Assert.That(When(Reading(1700, ChargingFrom.AddMinutes(6)), ChargingFrom.AddMinutes(6), kept), Has.Count.EqualTo(1), "rose, five minutes on");
            Assert.That(When(Reading(900, ChargingFrom.AddMinutes(1)), ChargingFrom.AddMinutes(1), Charging()), Is.Empty, "below meterStart");
            Assert.That(When(Reading(1700, ChargingFrom.AddMinutes(6), transaction: 78), ChargingFrom.AddMinutes(6), kept), Is.Empty, "another transaction");
        });
    }

    [Test]
    public void Rule12_once_overdue_every_rising_reading_is_kept()
    {
        IGroupEvent[] given =
        [
            .. Charging(),
            new MeterReadingNoted("pay-1", "CP-1", 1, 77, 2000, Overdue.AddMinutes(-1)),
            new ChargingOverdue("pay-1", "CP-1", 1, 77, ChargingFrom, Overdue),
        ];
        Assert.That(When(Reading(2100, Overdue.AddMinutes(1)), Overdue.AddMinutes(1), given), Has.Count.EqualTo(1));
    }

    [Test]
    public void Rule12_a_reading_when_nothing_charges_is_not_kept() =>
        Assert.That(When(Reading(5000, T0.AddSeconds(2)), T0.AddSeconds(2), Charging()[..4]), Is.Empty);

    [Test]
    public void Rule12_a_reading_before_the_station_started_its_transaction_is_not_kept() =>
        Assert.That(When(Reading(5000, T0.AddSeconds(2), transaction: null), T0.AddSeconds(2), Charging()[..4]), Is.Empty);
}
