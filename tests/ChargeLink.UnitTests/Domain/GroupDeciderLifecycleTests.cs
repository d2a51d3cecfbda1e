using ChargeLink.Domain.Groups;

namespace ChargeLink.UnitTests.Domain;

/// <summary>
/// Rules 13-16 and repeats: a connector's whole life as the station reports it — the car that leaves before charging,
/// the connector that fails, the station that reboots, the re-plug during or right after a session — and a repeated
/// status that is no news. Each test plays facts in order through the decider, as the saga does, and checks the events.
/// </summary>
public sealed class GroupDeciderLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly GroupPolicy Policy = GroupDeciderTests.Policy;
    private static readonly ConnectorRef C1 = new("CP-1", 1);
    private static readonly ConnectorRef C2 = new("CP-1", 2);

    /// <summary>A group fed fact by fact; the time of each fact is its second after T0.</summary>
    private sealed class Group
    {
        public GroupState State { get; private set; } = GroupState.Empty;
        public List<IGroupEvent> All { get; } = [];

        public IReadOnlyList<IGroupEvent> When(GroupFact fact, int atSecond)
        {
            var events = GroupDecider.Decide(State, fact, T0.AddSeconds(atSecond), Policy);
            State = events.Aggregate(State, (s, e) => s.Evolve(e));
            All.AddRange(events);
            return events;
        }

        public IReadOnlyList<IGroupEvent> Status(ConnectorRef c, ConnectorStatus status, int atSecond) =>
            When(new ConnectorStatusReported(c, status, null, T0.AddSeconds(atSecond)), atSecond);

        public IReadOnlyList<IGroupEvent> Pay(string paymentId, int atSecond) =>
            When(new PaymentAuthorizationReported(paymentId, "TERM-1", new Money(5000, "EUR"), T0.AddSeconds(atSecond), T0.AddSeconds(atSecond)), atSecond);

        public IReadOnlyList<IGroupEvent> Answer(string paymentId, ConnectorRef c, RemoteStartOutcome outcome, int atSecond) =>
            When(new RemoteStartAnswerReported(paymentId, c, outcome, T0.AddSeconds(atSecond)), atSecond);

        public IReadOnlyList<IGroupEvent> Start(string paymentId, ConnectorRef c, int transactionId, int atSecond) =>
            When(new TransactionStartReported(c, TestTags.For(paymentId), transactionId, 1000, T0.AddSeconds(atSecond)), atSecond);

        public IReadOnlyList<IGroupEvent> Stop(ConnectorRef c, int transactionId, long meterStop, int atSecond) =>
            When(new TransactionStopReported(c.ChargePointId, transactionId, meterStop, T0.AddSeconds(atSecond)), atSecond);

        public IReadOnlyList<IGroupEvent> Boot(string chargePointId, int atSecond) => When(new StationBootReported(chargePointId, T0.AddSeconds(atSecond)), atSecond);

        public IReadOnlyList<IGroupEvent> Tick(int atSecond) => When(new ClockTicked(T0.AddSeconds(atSecond)), atSecond);

        public IEnumerable<IGroupEvent> SettlementsOf(string paymentId) =>
            All.Where(e => e is PaymentCaptureRequested c && c.PaymentId == paymentId || e is PaymentVoidRequested v && v.PaymentId == paymentId);
    }

    private static ChargingStartRequested StartRequested(string paymentId, ConnectorRef c, int atSecond) =>
        new(paymentId, c.ChargePointId, c.ConnectorId, TestTags.For(paymentId), T0.AddSeconds(atSecond));

    private static ConnectorOccupied Occupied(ConnectorRef c, int atSecond) => new(c.ChargePointId, c.ConnectorId, T0.AddSeconds(atSecond), null);

    private static ConnectorStatusNoted Noted(ConnectorRef c, ConnectorStatus status, int atSecond) => new(c.ChargePointId, c.ConnectorId, status, T0.AddSeconds(atSecond));

    // Rule 13
    [Test]
    public void Rule13_a_car_that_leaves_after_the_accepted_start_voids_its_payment_at_once()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Pay("pay-1", 1);
        group.Answer("pay-1", C1, RemoteStartOutcome.Accepted, 2);
        Assert.That(group.Status(C1, ConnectorStatus.Available, 3), Is.EqualTo(new IGroupEvent[]
        {
            Noted(C1, ConnectorStatus.Available, 3),
            new PaymentVoidRequested("pay-1", VoidReason.ChargingNotStarted, T0.AddSeconds(3)),
        }));
        Assert.That(group.State.Sessions, Is.Empty, "the connector is free");
    }

    [Test]
    public void Rule13_a_car_that_leaves_before_the_station_answers_voids_its_payment_and_the_payment_does_not_move_on()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Status(C2, ConnectorStatus.Preparing, 1);
        group.Pay("pay-1", 2);
        var events = group.Status(C1, ConnectorStatus.Available, 3);
        Assert.That(events, Has.Member(new PaymentVoidRequested("pay-1", VoidReason.ChargingNotStarted, T0.AddSeconds(3))));
        Assert.That(events, Has.None.InstanceOf<ChargingStartRequested>(), "it would pay for somebody else's car on CP-1/2");
        Assert.That(group.State.Candidates.Select(c => c.Connector), Is.EqualTo(new[] { C2 }), "CP-1/2 still waits for its own payment");
    }

    [Test]
    public void Rule13_the_sequence_seen_leave_after_accept_then_a_second_driver_on_the_same_connector_starts_at_once()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Pay("pay-1", 1);
        group.Answer("pay-1", C1, RemoteStartOutcome.Accepted, 2);
        group.Status(C1, ConnectorStatus.Available, 10);
        Assert.That(group.Status(C1, ConnectorStatus.Preparing, 20), Is.EqualTo(new IGroupEvent[] { Occupied(C1, 20) }), "the second car's Preparing is recorded");
        Assert.That(group.Pay("pay-2", 21), Has.Member(StartRequested("pay-2", C1, 21)), "the second payment starts there");
        Assert.That(group.SettlementsOf("pay-1"), Is.EqualTo(new IGroupEvent[] { new PaymentVoidRequested("pay-1", VoidReason.ChargingNotStarted, T0.AddSeconds(10)) }),
            "the first payment was voided when its car left, not held for 120 s");
        Assert.That(group.Tick(200), Has.None.InstanceOf<PaymentVoidRequested>(), "nothing of the first payment is left to time out");
    }

    [Test]
    public void Rule13_a_late_StartTransaction_with_the_voided_payments_tag_is_told_to_stop()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Pay("pay-1", 1);
        group.Answer("pay-1", C1, RemoteStartOutcome.Accepted, 2);
        group.Status(C1, ConnectorStatus.Available, 3);
        Assert.That(group.Start("pay-1", C1, 55, 4), Is.EqualTo(new IGroupEvent[] { new ChargingStopRequested("pay-1", "CP-1", 1, 55, T0.AddSeconds(4)) }));
    }

    [Test]
    public void Rule6_a_transaction_already_asked_to_stop_is_not_asked_again_after_its_payment_is_cancelled()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Pay("pay-1", 1);
        group.Status(C2, ConnectorStatus.Preparing, 2);
        group.Pay("pay-2", 3);
        group.Answer("pay-1", C1, RemoteStartOutcome.Rejected, 4);
        Assert.That(group.Start("pay-1", C2, 7, 5), Is.EqualTo(new IGroupEvent[] { new ChargingStopRequested("pay-1", "CP-1", 2, 7, T0.AddSeconds(5)) }), "pay-1's tag where pay-2 was to start");
        group.When(new PaymentCancellationReported("pay-1", T0.AddSeconds(6)), 6);
        Assert.That(group.Start("pay-1", C2, 7, 7), Is.Empty, "the same StartTransaction again: stopped once already");
    }

    // Rule 14
    [TestCase(ConnectorStatus.Faulted)]
    [TestCase(ConnectorStatus.Unavailable)]
    public void Rule14_a_connector_that_fails_before_charging_fails_the_start_and_the_payment_takes_the_next_candidate(ConnectorStatus status)
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Status(C2, ConnectorStatus.Preparing, 1);
        group.Pay("pay-1", 2);
        group.Answer("pay-1", C1, RemoteStartOutcome.Accepted, 3);
        Assert.That(group.Status(C1, status, 4), Is.EqualTo(new IGroupEvent[]
        {
            Noted(C1, status, 4),
            new RemoteStartFailed("pay-1", "CP-1", 1, RemoteStartOutcome.ConnectorUnavailable, T0.AddSeconds(4)),
            StartRequested("pay-1", C2, 4),
        }));
        Assert.That(group.State.IsCandidate(C1), Is.False, "a failed connector is no candidate");
    }

    [Test]
    public void Rule14_with_no_other_candidate_the_payment_waits_and_is_voided_station_rejected_when_its_wait_runs_out()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Pay("pay-1", 1);
        group.Status(C1, ConnectorStatus.Faulted, 2);
        Assert.That(group.State.WaitingPayments.Select(p => p.PaymentId), Is.EqualTo(new[] { "pay-1" }));
        var due = 1 + (int)Policy.PaymentWait.TotalSeconds;
        Assert.That(group.Tick(due), Is.EqualTo(new IGroupEvent[] { new PaymentVoidRequested("pay-1", VoidReason.StationRejected, T0.AddSeconds(due)) }));
    }

    // Rule 15
    [Test]
    public void Rule15_a_reboot_before_charging_loses_the_start_and_the_payment_waits_again_without_that_connector()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Pay("pay-1", 1);
        group.Answer("pay-1", C1, RemoteStartOutcome.Accepted, 2);
        Assert.That(group.Boot("CP-1", 5), Is.EqualTo(new IGroupEvent[] { new RemoteStartLost("pay-1", "CP-1", 1, T0.AddSeconds(5)) }));
        Assert.That(group.State.WaitingPayments.Select(p => (p.PaymentId, p.Excluded.Count, p.FailedStarts)), Is.EqualTo(new[] { ("pay-1", 0, 0) }),
            "lost, not refused: nothing excluded, no failure counted");
        Assert.That(group.State.IsCandidate(C1), Is.False, "the connector waits for its next report");
    }

    [Test]
    public void Rule15_after_a_reboot_the_same_connector_reporting_Preparing_again_takes_the_payment_back()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Pay("pay-1", 1);
        group.Boot("CP-1", 5);
        Assert.That(group.Status(C1, ConnectorStatus.Preparing, 6), Is.EqualTo(new IGroupEvent[] { Occupied(C1, 6), StartRequested("pay-1", C1, 6) }),
            "the Preparing repeats the one before the reboot, yet counts");
    }

    [Test]
    public void Rule15_a_reboot_leaves_charging_sessions_and_other_stations_alone()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Pay("pay-1", 1);
        group.Start("pay-1", C1, 77, 2);
        group.Status(new ConnectorRef("CP-2", 1), ConnectorStatus.Preparing, 3);
        group.Pay("pay-2", 4);
        Assert.That(group.Boot("CP-1", 5), Is.Empty);
        Assert.That(group.State.Sessions.Count, Is.EqualTo(2));
    }

    [Test]
    public void Rule15_a_StartTransaction_resent_after_the_reboot_takes_the_waiting_payment_back()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Pay("pay-1", 1);
        group.Answer("pay-1", C1, RemoteStartOutcome.Accepted, 2);
        group.Boot("CP-1", 5);
        var events = group.Start("pay-1", C1, 88, 6);
        Assert.That(events.OfType<ChargingStarted>().Select(e => (e.PaymentId, e.TransactionId)), Is.EqualTo(new[] { ("pay-1", 88) }));
        Assert.That(events, Has.None.InstanceOf<ChargingStopRequested>());
    }

    // Rule 16
    [Test]
    public void Rule16_a_replug_reported_before_the_sessions_stop_is_a_candidate_once_the_session_ends()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Pay("pay-1", 1);
        group.Start("pay-1", C1, 77, 2);
        group.Status(C1, ConnectorStatus.Charging, 3);
        group.Status(C1, ConnectorStatus.Finishing, 50);
        group.Status(C1, ConnectorStatus.Available, 51);
        Assert.That(group.Status(C1, ConnectorStatus.Preparing, 52), Is.EqualTo(new IGroupEvent[] { Noted(C1, ConnectorStatus.Preparing, 52) }), "kept while the session is open");
        var events = group.Stop(C1, 77, 2000, 53);
        Assert.That(events, Has.Member(Occupied(C1, 52)), "the next car is a candidate, occupied when its Preparing arrived");
        Assert.That(group.Pay("pay-2", 54), Has.Member(StartRequested("pay-2", C1, 54)));
    }

    [Test]
    public void Rule16_a_session_ends_without_making_a_candidate_of_the_Preparing_it_charged_on()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Pay("pay-1", 1);
        group.Start("pay-1", C1, 77, 2);
        Assert.That(group.Stop(C1, 77, 2000, 30), Has.None.InstanceOf<ConnectorOccupied>(), "that car has charged");
    }

    [Test]
    public void Rule16_a_cancelled_start_gives_the_connector_back_only_if_the_car_is_still_there()
    {
        var plugged = new Group();
        plugged.Status(C1, ConnectorStatus.Preparing, 0);
        plugged.Pay("pay-1", 1);
        Assert.That(plugged.When(new PaymentCancellationReported("pay-1", T0.AddSeconds(2)), 2),
            Is.EqualTo(new IGroupEvent[] { new PaymentCancelled("pay-1", T0.AddSeconds(2)), Occupied(C1, 0) }));

        var left = new Group();
        left.Status(C1, ConnectorStatus.Preparing, 0);
        left.Pay("pay-1", 1);
        left.Status(C1, ConnectorStatus.SuspendedEV, 2);
        Assert.That(left.When(new PaymentCancellationReported("pay-1", T0.AddSeconds(3)), 3), Has.None.InstanceOf<ConnectorOccupied>());
    }

    [Test]
    public void Rule16_a_connector_replugged_during_a_start_that_then_fails_waits_in_the_place_of_its_new_Preparing()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 1);
        group.Status(C2, ConnectorStatus.Preparing, 2);
        group.Pay("pay-1", 3);
        group.Status(C1, ConnectorStatus.Finishing, 4);
        group.Status(C1, ConnectorStatus.Preparing, 5);
        group.Answer("pay-1", C1, RemoteStartOutcome.Rejected, 6);
        group.Answer("pay-1", C2, RemoteStartOutcome.Failed, 7);
        Assert.That(group.State.Candidates.Select(c => (c.Connector, c.OccupiedAt)), Is.EqualTo(new[] { (C2, T0.AddSeconds(2)), (C1, T0.AddSeconds(5)) }),
            "CP-1/2 has waited since :02, the car on CP-1/1 since :05");
        Assert.That(group.Pay("pay-2", 8), Has.Member(StartRequested("pay-2", C2, 8)));
    }

    [Test]
    public void Rule16_twenty_short_sessions_on_one_connector_each_start_and_end()
    {
        var group = new Group();
        for (var round = 0; round < 20; round++)
        {
            var at = round * 10;
            var paymentId = $"pay-{round}";
            group.Status(C1, ConnectorStatus.Preparing, at);
            Assert.That(group.Pay(paymentId, at + 1), Has.Member(StartRequested(paymentId, C1, at + 1)), $"round {round}");
            var outcome = round % 3 == 0 ? RemoteStartOutcome.Rejected : RemoteStartOutcome.Accepted;
            group.Answer(paymentId, C1, outcome, at + 2);
            group.Status(C1, ConnectorStatus.Available, at + 3);
            if (outcome == RemoteStartOutcome.Rejected)
                group.Tick(at + 4 + (int)Policy.PaymentWait.TotalSeconds);
        }
        for (var round = 0; round < 20; round++)
            Assert.That(group.SettlementsOf($"pay-{round}").Count(), Is.EqualTo(1), $"pay-{round} ends in one void");
        Assert.That(group.State.Sessions, Is.Empty);
    }

    // Repeats
    [Test]
    public void A_repeated_status_is_no_event_fifty_identical_reports_add_at_most_one()
    {
        var group = new Group();
        for (var i = 0; i < 50; i++)
            group.Status(C1, ConnectorStatus.Available, i);
        Assert.That(group.All, Is.EqualTo(new IGroupEvent[] { Noted(C1, ConnectorStatus.Available, 0) }));
    }

    [Test]
    public void A_repeated_Preparing_keeps_the_connector_in_its_first_place()
    {
        var group = new Group();
        group.Status(C1, ConnectorStatus.Preparing, 0);
        group.Status(C2, ConnectorStatus.Preparing, 1);
        Assert.That(group.Status(C1, ConnectorStatus.Preparing, 2), Is.Empty);
        Assert.That(group.Pay("pay-1", 3), Has.Member(StartRequested("pay-1", C1, 3)));
    }
}
