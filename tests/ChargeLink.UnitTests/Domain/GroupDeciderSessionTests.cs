using ChargeLink.Domain.Groups;

namespace ChargeLink.UnitTests.Domain;

/// <summary>Rules 5 and 7-11: waiting, cancellation, the station's answer, the session and its settlement.</summary>
public sealed class GroupDeciderSessionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly GroupPolicy Policy = GroupDeciderTests.Policy;
    private static readonly ConnectorRef C1 = new("CP-1", 1);
    private static readonly ConnectorRef C2 = new("CP-1", 2);
    private static readonly string Tag1 = TestTags.For("pay-1");

    private static ConnectorOccupied Occupied(ConnectorRef c, int atSecond) => new(c.ChargePointId, c.ConnectorId, T0.AddSeconds(atSecond), null);

    private static PaymentAuthorizationReceived Received(string paymentId, int atSecond, long amount = 5000) =>
        new(paymentId, "TERM-1", amount, "EUR", T0.AddSeconds(atSecond), T0.AddSeconds(atSecond));

    private static ChargingStartRequested Requested(string paymentId, ConnectorRef c, int atSecond) =>
        new(paymentId, c.ChargePointId, c.ConnectorId, TestTags.For(paymentId), T0.AddSeconds(atSecond));

    private static RemoteStartAccepted Accepted(string paymentId, ConnectorRef c, int atSecond) => new(paymentId, c.ChargePointId, c.ConnectorId, T0.AddSeconds(atSecond));

    private static ChargingStarted Started(string paymentId, ConnectorRef c, int transactionId, long meterStart, int atSecond) =>
        new(paymentId, c.ChargePointId, c.ConnectorId, transactionId, meterStart, T0.AddSeconds(atSecond));

    private static IGroupEvent[] ChargingOnC1(long meterStart = 1000) =>
        [Occupied(C1, 0), Received("pay-1", 1), Requested("pay-1", C1, 1), Accepted("pay-1", C1, 2), Started("pay-1", C1, 77, meterStart, 3)];

    private static IReadOnlyList<IGroupEvent> When(GroupFact fact, DateTimeOffset now, params IGroupEvent[] given) =>
        GroupDecider.Decide(GroupState.Fold(given), fact, now, Policy);

    private static IReadOnlyList<IGroupEvent> When(GroupFact fact, params IGroupEvent[] given) => When(fact, T0.AddSeconds(10), given);

    // Rule 5
    [Test]
    public void Rule5_a_payment_that_finds_no_connector_in_time_is_voided_no_connector_occupied()
    {
        var due = T0.AddSeconds(1) + Policy.PaymentWait;
        Assert.That(When(new ClockTicked(due.AddTicks(-1)), due, Received("pay-1", 1)), Is.Empty, "not before its time");
        Assert.That(When(new ClockTicked(due), due, Received("pay-1", 1)), Is.EqualTo(new IGroupEvent[] { new PaymentVoidRequested("pay-1", VoidReason.NoConnectorOccupied, due) }));
    }

    [Test]
    public void Rule5_a_voided_payment_is_voided_once() =>
        Assert.That(When(new ClockTicked(T0.AddHours(1)), T0.AddHours(1), Received("pay-1", 1), new PaymentVoidRequested("pay-1", VoidReason.NoConnectorOccupied, T0.AddMinutes(4))),
            Is.All.InstanceOf<PaymentsForgotten>(), "nothing but, an hour on, the retention rule's forgetting");

    [Test]
    public void Rule5_a_cancelled_waiting_payment_is_dropped_without_a_void()
    {
        var events = When(new PaymentCancellationReported("pay-1", T0.AddSeconds(5)), Received("pay-1", 1));
        Assert.That(events, Is.EqualTo(new IGroupEvent[] { new PaymentCancelled("pay-1", T0.AddSeconds(5)) }));
        var later = When(new ClockTicked(T0.AddHours(1)), T0.AddHours(1), Received("pay-1", 1), events[0]);
        Assert.That(later, Is.All.InstanceOf<PaymentsForgotten>(), "no void follows a cancellation (an hour on, the payment is forgotten)");
        Assert.That(When(new ConnectorStatusReported(C1, ConnectorStatus.Preparing, null, T0.AddSeconds(9)), Received("pay-1", 1), events[0]), Has.None.InstanceOf<ChargingStartRequested>());
    }

    [Test]
    public void Rule5_a_cancellation_of_a_payment_the_group_does_not_know_changes_nothing()
    {
        // The router hands a cancellation on only once its authorization reached the group: one the group does not know is
        // of a payment it has forgotten (the retention rule).
        var cancellation = new PaymentCancellationReported("pay-1", T0);
        Assert.That(When(cancellation, Occupied(C1, 0)), Is.Empty);
        Assert.That(GroupDecider.BeyondRetention(GroupState.Empty, cancellation, T0, Policy), Is.Not.Null, "told as beyond the retention period");
    }

    [Test]
    public void Rule5_a_station_that_starts_anyway_for_a_payment_cancelled_after_the_start_request_is_asked_to_stop()
    {
        var given = new IGroupEvent[] { Occupied(C1, 0), Received("pay-1", 1), Requested("pay-1", C1, 1) };
        var cancelled = When(new PaymentCancellationReported("pay-1", T0.AddSeconds(3)), given);
        Assert.That(cancelled, Is.EqualTo(new IGroupEvent[] { new PaymentCancelled("pay-1", T0.AddSeconds(3)), Occupied(C1, 0) }), "dropped, no void; the connector waits again");
        var start = new TransactionStartReported(C1, Tag1, 77, 1000, T0.AddSeconds(4));
        var events = When(start, [.. given, .. cancelled]);
        Assert.That(events, Is.EqualTo(new IGroupEvent[]
        {
            new ConnectorVacated("CP-1", 1, ConnectorStatus.Charging, T0.AddSeconds(4)),
            new ChargingStopRequested("pay-1", "CP-1", 1, 77, T0.AddSeconds(4)),
        }));
        Assert.That(When(start, [.. given, .. cancelled, .. events]), Is.Empty, "asked once");
    }

    [Test]
    public void Rule6_a_station_that_starts_late_for_a_payment_that_moved_to_another_connector_is_asked_to_stop()
    {
        // pay-1 was asked to start on C1, C1 did not answer in time, pay-1 went to C2; then C1 starts with pay-1's tag.
        var given = new IGroupEvent[]
        {
            Occupied(C1, 0), Occupied(C2, 1), Received("pay-1", 2), Requested("pay-1", C1, 2),
            new RemoteStartFailed("pay-1", "CP-1", 1, RemoteStartOutcome.TimedOut, T0.AddSeconds(62)), Requested("pay-1", C2, 62),
        };
        var late = new TransactionStartReported(C1, Tag1, 88, 500, T0.AddSeconds(63));
        var events = When(late, T0.AddSeconds(63), given);
        Assert.That(events, Is.EqualTo(new IGroupEvent[]
        {
            new ConnectorVacated("CP-1", 1, ConnectorStatus.Charging, T0.AddSeconds(63)),
            new ChargingStopRequested("pay-1", "CP-1", 1, 88, T0.AddSeconds(63)),
        }), "one payment never charges on two connectors");
        Assert.That(When(late, T0.AddSeconds(64), [.. given, .. events]), Is.Empty, "asked once");
        Assert.That(GroupState.Fold([.. given, .. events]).SessionOf("pay-1")?.Connector, Is.EqualTo(C2), "the payment stays with C2");
    }

    [Test]
    public void Rule8_a_station_that_starts_after_its_start_was_counted_as_failed_takes_the_payment_if_it_still_waits()
    {
        // The station's answer was lost: pay-1's start on C1 timed out, and it waits (C2 is not plugged in). C1 then starts.
        var given = new IGroupEvent[]
        {
            Occupied(C1, 0), Received("pay-1", 1), Requested("pay-1", C1, 1),
            new RemoteStartFailed("pay-1", "CP-1", 1, RemoteStartOutcome.TimedOut, T0.AddSeconds(61)),
        };
        var events = When(new TransactionStartReported(C1, Tag1, 88, 500, T0.AddSeconds(62)), T0.AddSeconds(62), given);
        Assert.That(events, Is.EqualTo(new IGroupEvent[]
        {
            new RemoteStartConfirmedLate("pay-1", "CP-1", 1, Tag1, T0.AddSeconds(62)),
            new ChargingStarted("pay-1", "CP-1", 1, 88, 500, T0.AddSeconds(62)),
        }));
        var after = GroupState.Fold([.. given, .. events]);
        Assert.That((after.SessionOf("pay-1")?.Phase, after.WaitingPayments.Length, after.Candidates.Length), Is.EqualTo(((SessionPhase?)SessionPhase.Charging, 0, 0)));
        var stopped = When(new TransactionStopReported("CP-1", 88, 10_500, T0.AddSeconds(90)), T0.AddSeconds(90), [.. given, .. events]);
        Assert.That(stopped.OfType<PaymentCaptureRequested>().Single().AmountMinor, Is.EqualTo(450), "10,000 Wh x 45 / 1000");
    }

    [Test]
    public void Rule6_the_same_StartTransaction_delivered_again_after_the_session_ended_asks_nothing()
    {
        IGroupEvent[] ended =
        [
            .. ChargingOnC1(),
            new ChargingStopped("pay-1", "CP-1", 1, 77, 2000, 1000, T0.AddSeconds(20)),
            new PaymentCaptureRequested("pay-1", 45, "EUR", 1000, "CP-1-1-77", T0.AddSeconds(20)),
        ];
        Assert.That(When(new TransactionStartReported(C1, Tag1, 77, 1000, T0.AddSeconds(21)), T0.AddSeconds(21), ended), Is.Empty);
    }

    [Test]
    public void Rule5_a_cancellation_after_charging_started_changes_nothing() =>
        Assert.That(When(new PaymentCancellationReported("pay-1", T0.AddSeconds(20)), ChargingOnC1()), Is.Empty);

    // Rule 7
    [Test]
    public void Rule7_a_transaction_started_by_other_means_takes_the_candidate_out() =>
        Assert.That(
            When(new TransactionStartReported(C1, "RFID-CARD-1", 5, 0, T0.AddSeconds(4)), Occupied(C1, 0)),
            Is.EqualTo(new IGroupEvent[] { new ConnectorVacated("CP-1", 1, ConnectorStatus.Charging, T0.AddSeconds(4)) }));

    // Rule 8
    [TestCase(RemoteStartOutcome.Rejected)]
    [TestCase(RemoteStartOutcome.TimedOut)]
    [TestCase(RemoteStartOutcome.Failed)]
    public void Rule8_a_refused_start_moves_the_payment_to_the_next_candidate(RemoteStartOutcome outcome)
    {
        var events = When(new RemoteStartAnswerReported("pay-1", C1, outcome, T0.AddSeconds(5)), Occupied(C1, 0), Occupied(C2, 1), Received("pay-1", 2), Requested("pay-1", C1, 2));
        Assert.That(events, Is.EqualTo(new IGroupEvent[]
        {
            new RemoteStartFailed("pay-1", "CP-1", 1, outcome, T0.AddSeconds(5)),
            new ChargingStartRequested("pay-1", "CP-1", 2, Tag1, T0.AddSeconds(10)),
        }));
    }

    [Test]
    public void Rule8_a_payment_never_tries_the_same_connector_again_but_another_payment_may()
    {
        var given = new IGroupEvent[] { Occupied(C1, 0), Received("pay-1", 1), Requested("pay-1", C1, 1), new RemoteStartFailed("pay-1", "CP-1", 1, RemoteStartOutcome.Rejected, T0.AddSeconds(3)) };
        var state = GroupState.Fold(given);
        Assert.That(state.Candidates.Select(c => c.Connector), Is.EqualTo(new[] { C1 }), "the connector waits again");
        Assert.That(state.WaitingPayments.Single().Excluded, Is.EquivalentTo(new[] { C1 }), "the payment waits again, without it");
        Assert.That(When(new PaymentAuthorizationReported("pay-2", "TERM-1", new Money(5000, "EUR"), T0, T0.AddSeconds(4)), given),
            Has.Member(new ChargingStartRequested("pay-2", "CP-1", 1, TestTags.For("pay-2"), T0.AddSeconds(10))));
    }

    [Test]
    public void Rule8_an_offline_station_does_not_get_its_connector_back_as_a_candidate()
    {
        var state = GroupState.Fold([Occupied(C1, 0), Received("pay-1", 1), Requested("pay-1", C1, 1), new RemoteStartFailed("pay-1", "CP-1", 1, RemoteStartOutcome.Offline, T0.AddSeconds(3))]);
        Assert.That(state.Candidates, Is.Empty);
    }

    [Test]
    public void Rule8_a_refused_payment_with_no_other_connector_waits_then_is_voided_station_rejected()
    {
        var given = new IGroupEvent[] { Occupied(C1, 0), Received("pay-1", 1), Requested("pay-1", C1, 1), new RemoteStartFailed("pay-1", "CP-1", 1, RemoteStartOutcome.Rejected, T0.AddSeconds(3)) };
        var due = T0.AddSeconds(1) + Policy.PaymentWait;
        Assert.That(When(new ClockTicked(due), due, given), Is.EqualTo(new IGroupEvent[] { new PaymentVoidRequested("pay-1", VoidReason.StationRejected, due) }));
    }

    [Test]
    public void Rule8_no_answer_within_the_bound_counts_as_a_failed_start()
    {
        var due = T0.AddSeconds(1) + Policy.RemoteStartAnswerTimeout;
        var events = When(new ClockTicked(due), due, Occupied(C1, 0), Occupied(C2, 0), Received("pay-1", 1), Requested("pay-1", C1, 1));
        Assert.That(events, Is.EqualTo(new IGroupEvent[]
        {
            new RemoteStartFailed("pay-1", "CP-1", 1, RemoteStartOutcome.TimedOut, due),
            new ChargingStartRequested("pay-1", "CP-1", 2, Tag1, due),
        }));
    }

    [Test]
    public void Rule8_a_late_or_repeated_answer_changes_nothing()
    {
        Assert.That(When(new RemoteStartAnswerReported("pay-1", C1, RemoteStartOutcome.Accepted, T0.AddSeconds(9)), ChargingOnC1()), Is.Empty);
        Assert.That(When(new RemoteStartAnswerReported("pay-1", C2, RemoteStartOutcome.Rejected, T0.AddSeconds(9)), Occupied(C1, 0), Received("pay-1", 1), Requested("pay-1", C1, 1)), Is.Empty, "an answer for another connector");
    }

    // Rule 9
    [Test]
    public void Rule9_StartTransaction_with_the_payments_idTag_means_charging_even_before_the_answer_arrives() =>
        Assert.That(
            When(new TransactionStartReported(C1, Tag1, 77, 1000, T0.AddSeconds(4)), Occupied(C1, 0), Received("pay-1", 1), Requested("pay-1", C1, 1)),
            Is.EqualTo(new IGroupEvent[] { new ChargingStarted("pay-1", "CP-1", 1, 77, 1000, T0.AddSeconds(4)) }));

    [Test]
    public void Rule9_an_accepted_start_without_StartTransaction_in_time_is_voided_and_the_connector_freed()
    {
        var given = new IGroupEvent[] { Occupied(C1, 0), Received("pay-1", 1), Requested("pay-1", C1, 1), Accepted("pay-1", C1, 2) };
        var due = T0.AddSeconds(2) + Policy.TransactionStartTimeout;
        var events = When(new ClockTicked(due), due, given);
        // Rule 16: the station still says Preparing, so the connector is a candidate again, in the place of that report.
        Assert.That(events, Is.EqualTo(new IGroupEvent[] { new PaymentVoidRequested("pay-1", VoidReason.ChargingNotStarted, due), Occupied(C1, 0) }));
        var state = GroupState.Fold([.. given, .. events]);
        Assert.That(state.Sessions, Is.Empty, "no session holds the connector");
        Assert.That(state.Candidates.Select(c => (c.Connector, c.OccupiedAt)), Is.EqualTo(new[] { (C1, T0) }));
    }

    [Test]
    public void Rule9_an_accepted_start_voided_in_time_leaves_no_candidate_if_the_car_has_left_meanwhile()
    {
        var given = new IGroupEvent[] { Occupied(C1, 0), Received("pay-1", 1), Requested("pay-1", C1, 1), Accepted("pay-1", C1, 2), new ConnectorStatusNoted("CP-1", 1, ConnectorStatus.Finishing, T0.AddSeconds(5)) };
        var due = T0.AddSeconds(2) + Policy.TransactionStartTimeout;
        Assert.That(When(new ClockTicked(due), due, given), Is.EqualTo(new IGroupEvent[] { new PaymentVoidRequested("pay-1", VoidReason.ChargingNotStarted, due) }));
    }

    [Test]
    public void Rule9_a_repeated_StartTransaction_changes_nothing() =>
        Assert.That(When(new TransactionStartReported(C1, Tag1, 77, 1000, T0.AddSeconds(9)), ChargingOnC1()), Is.Empty);

    // Rule 10
    [Test]
    public void Rule10_StopTransaction_captures_energy_times_tariff()
    {
        var events = When(new TransactionStopReported("CP-1", 77, 1000 + 27_420, T0.AddMinutes(30)), ChargingOnC1());
        // 27,420 Wh x 45 minor/kWh = 1,233.9 -> 1,234
        Assert.That(events, Is.EqualTo(new IGroupEvent[]
        {
            new ChargingStopped("pay-1", "CP-1", 1, 77, 28_420, 27_420, T0.AddMinutes(30)),
            new PaymentCaptureRequested("pay-1", 1234, "EUR", 27_420, "CP-1-1-77", T0.AddMinutes(30)),
        }));
    }

    [Test]
    public void Rule10_the_capture_never_exceeds_the_authorized_amount()
    {
        var given = new IGroupEvent[] { Occupied(C1, 0), Received("pay-1", 1, amount: 1000), Requested("pay-1", C1, 1), Started("pay-1", C1, 77, 0, 3) };
        var capture = When(new TransactionStopReported("CP-1", 77, 1_000_000, T0.AddHours(5)), given).OfType<PaymentCaptureRequested>().Single();
        Assert.That(capture.AmountMinor, Is.EqualTo(1000));
    }

    [Test]
    public void Rule10_zero_energy_is_a_void_not_a_zero_capture() =>
        Assert.That(
            When(new TransactionStopReported("CP-1", 77, 1000, T0.AddMinutes(1)), ChargingOnC1()).OfType<PaymentVoidRequested>().Single().Reason,
            Is.EqualTo(VoidReason.NoEnergyDelivered));

    [TestCase(1, 45, 5000, 0)]
    [TestCase(11, 45, 5000, 0)]
    [TestCase(12, 45, 5000, 1)]
    [TestCase(27_420, 45, 5000, 1234)]
    [TestCase(1_000_000, 45, 5000, 5000)]
    [TestCase(long.MaxValue / 2, 10_000, long.MaxValue, long.MaxValue)]
    public void Rule10_the_price_is_rounded_half_up_to_a_minor_unit(long energyWh, long price, long held, long expected) =>
        Assert.That(Pricing.CaptureAmount(energyWh, price, held), Is.EqualTo(expected));

    [Test]
    public void Rule10_a_StopTransaction_that_overtook_its_StartTransaction_settles_when_the_start_arrives()
    {
        var given = new IGroupEvent[] { Occupied(C1, 0), Received("pay-1", 1), Requested("pay-1", C1, 1), Accepted("pay-1", C1, 2) };
        var early = When(new TransactionStopReported("CP-1", 77, 1000 + 27_420, T0.AddSeconds(5)), given);
        Assert.That(early, Is.EqualTo(new IGroupEvent[] { new TransactionStopNoted("CP-1", 77, 28_420, T0.AddSeconds(5)) }));
        var events = When(new TransactionStartReported(C1, Tag1, 77, 1000, T0.AddSeconds(6)), [.. given, .. early]);
        Assert.That(events.Select(e => e.GetType()), Is.EqualTo(new[] { typeof(ChargingStarted), typeof(ChargingStopped), typeof(PaymentCaptureRequested) }));
        Assert.That(events.OfType<PaymentCaptureRequested>().Single().AmountMinor, Is.EqualTo(1234));
    }

    [Test]
    public void Rule10_a_StopTransaction_for_an_unknown_transaction_changes_nothing() =>
        Assert.That(When(new TransactionStopReported("CP-1", 999, 5000, T0.AddMinutes(1)), ChargingOnC1()), Is.Empty);

    // Rule 11
    [Test]
    public void Rule11_a_settled_payment_is_never_settled_again()
    {
        var stop = new TransactionStopReported("CP-1", 77, 5000, T0.AddMinutes(30));
        var first = When(stop, ChargingOnC1());
        Assert.That(When(stop, [.. ChargingOnC1(), .. first]), Is.Empty, "the same StopTransaction again");
        Assert.That(When(new ClockTicked(T0.AddDays(1)), T0.AddDays(1), [.. ChargingOnC1(), .. first]), Is.All.InstanceOf<PaymentsForgotten>(), "no timeout after the end (a day on, the payment is forgotten)");
    }

    [Test]
    public void The_next_deadline_is_the_earliest_of_waiting_payments_and_unanswered_starts()
    {
        var state = GroupState.Fold([Occupied(C1, 0), Received("pay-1", 1), Requested("pay-1", C1, 1), Received("pay-2", 2)]);
        Assert.That(state.NextDeadline(Policy), Is.EqualTo(T0.AddSeconds(1) + Policy.RemoteStartAnswerTimeout));
        // Rule 12: a charging session waits for its StopTransaction, but not for ever.
        Assert.That(GroupState.Fold(ChargingOnC1()).NextDeadline(Policy), Is.EqualTo(T0.AddSeconds(3) + Policy.MaxChargingDuration));
    }

    [Test]
    public void Rule9_an_accepted_answer_is_recorded_as_accepted_and_sets_the_start_deadline()
    {
        var given = new IGroupEvent[] { Occupied(C1, 0), Received("pay-1", 1), Requested("pay-1", C1, 1) };
        var events = When(new RemoteStartAnswerReported("pay-1", C1, RemoteStartOutcome.Accepted, T0.AddSeconds(2)), given);
        Assert.That(events, Is.EqualTo(new IGroupEvent[] { Accepted("pay-1", C1, 2) }));
        Assert.That(GroupState.Fold([.. given, .. events]).NextDeadline(Policy), Is.EqualTo(T0.AddSeconds(2) + Policy.TransactionStartTimeout));
    }

    [Test]
    public void Rule10_a_stop_from_another_station_with_the_same_transaction_id_stops_nothing() =>
        Assert.That(When(new TransactionStopReported("CP-2", 77, 5000, T0.AddSeconds(20)), ChargingOnC1()), Is.Empty);

    [Test]
    public void Rule7_a_status_at_the_same_instant_as_the_last_one_applied_is_not_stale()
    {
        var state = GroupState.Fold([Occupied(C1, 5)]);
        Assert.That((state.IsStale(C1, T0.AddSeconds(5)), state.IsStale(C1, T0.AddSeconds(4))), Is.EqualTo((false, true)));
    }

    [Test]
    public void A_group_with_nothing_waiting_has_no_deadline() =>
        Assert.That(GroupState.Fold([Occupied(C1, 0)]).NextDeadline(Policy), Is.Null);

    [Test]
    public void Rule8_starts_that_time_out_together_fail_in_the_order_they_were_requested()
    {
        var given = new IGroupEvent[] { Occupied(C1, 0), Occupied(C2, 1), Received("pay-2", 2), Requested("pay-2", C1, 2), Received("pay-1", 3), Requested("pay-1", C2, 3) };
        var due = T0.AddSeconds(3) + Policy.RemoteStartAnswerTimeout;
        var failed = When(new ClockTicked(due), due, given).OfType<RemoteStartFailed>().Select(f => f.PaymentId);
        Assert.That(failed, Is.EqualTo(new[] { "pay-2", "pay-1" }));
    }
}
