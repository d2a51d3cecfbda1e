using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;

namespace ChargeLink.UnitTests.Domain;

/// <summary>
/// The retention rule (README): a settled payment is remembered for the retention period after it settled (and was
/// authorized), then forgotten with its tags and transactions; whatever arrives about it afterwards starts, charges and
/// settles nothing.
/// </summary>
public sealed class GroupDeciderRetentionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(30);
    private static readonly ConnectorRef Connector = new("CP-1", 1);

    private static readonly GroupPolicy Policy = new(new Tariff(45, "EUR"), TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120))
    {
        IdTagKey = TestTags.Key,
        Retention = Retention,
    };

    private GroupState _state = GroupState.Empty;

    [SetUp]
    public void StartEmpty() => _state = GroupState.Empty;

    private IReadOnlyList<IGroupEvent> Deliver(GroupFact fact, DateTimeOffset now)
    {
        var events = GroupDecider.Decide(_state, fact, now, Policy);
        _state = events.Aggregate(_state, (state, e) => state.Evolve(e));
        return events;
    }

    private static PaymentAuthorizationReported Authorization(string paymentId, DateTimeOffset authorizedAt, DateTimeOffset receivedAt) =>
        new(paymentId, "TERM-1", new Money(5000, "EUR"), authorizedAt, receivedAt);

    // A whole session of pay-1 on CP-1/1, transaction 7, 12,000 Wh: captured 540 at T0 + 60 s.
    private void ChargedAndCaptured()
    {
        Deliver(new ConnectorStatusReported(Connector, ConnectorStatus.Preparing, null, T0), T0);
        Deliver(Authorization("pay-1", T0.AddSeconds(5), T0.AddSeconds(5)), T0.AddSeconds(5));
        Deliver(new RemoteStartAnswerReported("pay-1", Connector, RemoteStartOutcome.Accepted, T0.AddSeconds(6)), T0.AddSeconds(6));
        Deliver(new TransactionStartReported(Connector, TestTags.For("pay-1"), 7, 1_000, T0.AddSeconds(10)), T0.AddSeconds(10));
        var end = Deliver(new TransactionStopReported("CP-1", 7, 13_000, T0.AddSeconds(60)), T0.AddSeconds(60));
        Assert.That(end.OfType<PaymentCaptureRequested>().Select(c => c.AmountMinor), Is.EqualTo(new[] { 540L }), $"the session this test is about was captured: {string.Join(", ", end)}");
        Deliver(new ConnectorStatusReported(Connector, ConnectorStatus.Available, null, T0.AddSeconds(70)), T0.AddSeconds(70));
    }

    private static readonly Type[] AnythingOfAPayment =
    [
        typeof(PaymentAuthorizationReceived), typeof(ChargingStartRequested), typeof(RemoteStartConfirmedLate), typeof(ChargingStarted), typeof(ChargingStopped),
        typeof(PaymentCaptureRequested), typeof(PaymentVoidRequested), typeof(PaymentCancelled), typeof(ChargingStopRequested),
    ];

    [Test]
    public void Within_the_period_a_settled_payment_is_remembered_its_repeat_changes_nothing_and_its_tag_is_stopped_elsewhere()
    {
        ChargedAndCaptured();
        var justBefore = T0.AddSeconds(60) + Retention - TimeSpan.FromSeconds(1);
        Assert.That(Deliver(new ClockTicked(justBefore), justBefore), Has.None.InstanceOf<PaymentsForgotten>(), "nothing is forgotten before the period has passed");
        Assert.That(_state.Knows("pay-1"), Is.True);
        Assert.That(Deliver(Authorization("pay-1", T0.AddSeconds(5), justBefore), justBefore), Is.Empty, "the authorization again is the same payment");
        var elsewhere = Deliver(new TransactionStartReported(new ConnectorRef("CP-1", 2), TestTags.For("pay-1"), 8, 0, justBefore), justBefore);
        Assert.That(elsewhere, Is.EqualTo(new IGroupEvent[] { new ChargingStopRequested("pay-1", "CP-1", 2, 8, justBefore) }), "a settled payment's tag starts nothing and is asked to stop");
    }

    [Test]
    public void Beyond_the_period_a_settled_payment_is_forgotten_and_no_message_about_it_starts_charges_or_settles_anything()
    {
        ChargedAndCaptured();
        // Forgotten on the first tick at least a quarter of the period after it became forgettable (60 s + 30 min).
        var tick = T0.AddSeconds(60) + Retention + (Retention / 4);
        var forgotten = Deliver(new ClockTicked(tick), tick);
        Assert.That(forgotten.OfType<PaymentsForgotten>().Select(f => (string.Join(",", f.PaymentIds), f.EarlyStops.Count, f.At)), Is.EqualTo(new[] { ("pay-1", 0, tick) }));
        Assert.That((_state.Knows("pay-1"), _state.IssuedIdTags.Count, _state.Transactions.Count, _state.Payments.Count), Is.EqualTo((false, 0, 0, 0)), "nothing of it is kept");

        var later = tick.AddMinutes(1);
        var replayed = new List<IGroupEvent>();
        // The authorization again: the adapter's window and the rule's both refuse it.
        var again = Authorization("pay-1", T0.AddSeconds(5), later);
        Assert.That(GroupDecider.BeyondRetention(_state, again, later, Policy), Does.Contain("past the retention period"), "told as beyond the retention period");
        replayed.AddRange(Deliver(Authorization("pay-1", T0.AddSeconds(5), later), later));
        replayed.AddRange(Deliver(new PaymentCancellationReported("pay-1", later), later));
        // The car comes back and the station starts its old transaction with the old tag, then stops it, twice.
        replayed.AddRange(Deliver(new ConnectorStatusReported(Connector, ConnectorStatus.Preparing, null, later), later));
        replayed.AddRange(Deliver(new TransactionStartReported(Connector, TestTags.For("pay-1"), 7, 1_000, later.AddSeconds(1)), later.AddSeconds(1)));
        replayed.AddRange(Deliver(new TransactionStopReported("CP-1", 7, 13_000, later.AddSeconds(2)), later.AddSeconds(2)));
        replayed.AddRange(Deliver(new TransactionStopReported("CP-1", 7, 13_000, later.AddSeconds(3)), later.AddSeconds(3)));
        replayed.AddRange(Deliver(new ClockTicked(later.AddHours(2)), later.AddHours(2)));

        Assert.That(replayed.Where(e => AnythingOfAPayment.Contains(e.GetType())), Is.Empty, "no session and no instruction for a forgotten payment");
        Assert.That(_state.Sessions, Is.Empty);
    }

    [Test]
    public void A_group_forgets_with_the_next_events_it_appends_and_keeps_no_deadline_for_it()
    {
        ChargedAndCaptured();
        Assert.That(_state.NextDeadline(Policy), Is.Null, "forgetting is no deadline: an idle group keeps what it has and grows no more");
        var later = T0.AddSeconds(60) + Retention + (Retention / 4);
        var events = Deliver(Authorization("pay-2", later, later), later);
        Assert.That(events.Select(e => e.GetType().Name), Is.EqualTo(new[] { nameof(PaymentAuthorizationReceived), nameof(PaymentsForgotten) }), "the next payment's append forgets the last period's");
        Assert.That((_state.Knows("pay-1"), _state.Knows("pay-2")), Is.EqualTo((false, true)));
    }

    [Test]
    public void An_authorization_that_first_arrives_beyond_the_period_never_starts_even_with_a_connector_waiting()
    {
        Deliver(new ConnectorStatusReported(Connector, ConnectorStatus.Preparing, null, T0), T0);
        var now = T0.AddMinutes(1);
        Assert.That(Deliver(Authorization("pay-old", now - Retention, now), now), Is.EqualTo(new IGroupEvent[] { new PaymentAuthorizationExpired("pay-old", "TERM-1", now - Retention, now) }),
            "authorized a whole period ago: it starts nothing, and the adapter is asked to void it unless it has its instruction (an outage held it: its hold is released)");
        Assert.That(_state.Knows("pay-old"), Is.False, "nothing of it is remembered");
        var within = Authorization("pay-new", now - Retention + TimeSpan.FromSeconds(1), now);
        Assert.That(Deliver(within, now).OfType<ChargingStartRequested>().Select(s => s.PaymentId), Is.EqualTo(new[] { "pay-new" }), "a second younger, it starts");
    }
}
