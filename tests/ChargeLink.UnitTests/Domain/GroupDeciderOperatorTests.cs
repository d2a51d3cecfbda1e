using ChargeLink.Domain.Groups;

namespace ChargeLink.UnitTests.Domain;

/// <summary>
/// Issue 29, the operator's acts as the group decides them: a connector taken out of service is never a candidate
/// (whatever it reports, whatever the station answers) until it is returned, and then takes its place by its own
/// Preparing, started on once the station has answered the return; the second click of a double click, a relay's copy or an act older than the target's last changes nothing;
/// an act on what is not the group's changes nothing. Expected events are written out by hand from the rules.
/// </summary>
public sealed class GroupDeciderOperatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly ConnectorRef C1 = new("CP-1", 1);
    private static readonly ConnectorRef C2 = new("CP-1", 2);
    private static readonly GroupPolicy Policy = GroupDeciderTests.Policy with { Connectors = [C1, C2] };

    private GroupState _state = GroupState.Empty;

    // NUnit keeps one instance for the fixture's tests: each starts from an empty group.
    [SetUp]
    public void EmptyGroup() => _state = GroupState.Empty;

    private IReadOnlyList<IGroupEvent> When(GroupFact fact, int atSecond)
    {
        var events = GroupDecider.Decide(_state, fact, T0.AddSeconds(atSecond), Policy);
        _state = events.Aggregate(_state, (s, e) => s.Evolve(e));
        return events;
    }

    private IReadOnlyList<IGroupEvent> Status(ConnectorRef c, ConnectorStatus status, int atSecond) =>
        When(new ConnectorStatusReported(c, status, null, T0.AddSeconds(atSecond)), atSecond);

    private IReadOnlyList<IGroupEvent> Pay(string paymentId, int atSecond) =>
        When(new PaymentAuthorizationReported(paymentId, "TERM-1", new Money(5000, "EUR"), T0.AddSeconds(atSecond), T0.AddSeconds(atSecond)), atSecond);

    private IReadOnlyList<IGroupEvent> Act(string act, ConnectorRef c, string actId, int atSecond, string who = "alice") =>
        When(new OperatorStationActReported(actId, act, who, "broken holster", c.ChargePointId, c.ConnectorId, T0.AddSeconds(atSecond)), atSecond);

    private static OperatorActed Acted(string act, ConnectorRef c, string actId, int atSecond, string who = "alice") =>
        new(actId, act, who, "broken holster", null, c.ChargePointId, c.ConnectorId, null, T0.AddSeconds(atSecond));

    private static ChargingStartRequested StartRequested(string paymentId, ConnectorRef c, int atSecond) =>
        new(paymentId, c.ChargePointId, c.ConnectorId, TestTags.For(paymentId), T0.AddSeconds(atSecond));

    [Test]
    public void An_occupied_connector_taken_out_of_service_is_passed_over_and_takes_its_place_again_when_returned()
    {
        Status(C1, ConnectorStatus.Preparing, 0);
        Assert.That(Act(OperatorActs.TakeOutOfService, C1, "a1", 1), Is.EqualTo(new IGroupEvent[]
        {
            Acted(OperatorActs.TakeOutOfService, C1, "a1", 1),
            new ConnectorTakenOutOfService("CP-1", 1, "a1", "alice", "broken holster", T0.AddSeconds(1)),
        }));
        Assert.That(Pay("pay-1", 2), Is.EqualTo(new IGroupEvent[]
        {
            new PaymentAuthorizationReceived("pay-1", "TERM-1", 5000, "EUR", T0.AddSeconds(2), T0.AddSeconds(2), 45),
        }), "the only occupied connector is out of service: the payment waits");

        Assert.That(Status(C2, ConnectorStatus.Preparing, 3), Has.Member(StartRequested("pay-1", C2, 3)), "a connector in service takes it");
        Pay("pay-2", 4);
        // Returned: a candidate again in the place of its Preparing at second 0, and the next payment starts there once the
        // station has answered the return (its ChangeAvailability and the start are separate commands: the start must
        // not reach the station first).
        Assert.That(Act(OperatorActs.ReturnToService, C1, "a2", 7, who: "bob"), Is.EqualTo(new IGroupEvent[]
        {
            Acted(OperatorActs.ReturnToService, C1, "a2", 7, who: "bob"),
            new ConnectorReturnedToService("CP-1", 1, "a2", "bob", T0.AddSeconds(7)),
            new ConnectorOccupied("CP-1", 1, T0, null),
        }));
        Assert.That(When(new OperatorActAnswerReported("a2", "CP-1", "Accepted", T0.AddSeconds(8)), 8), Is.EqualTo(new IGroupEvent[]
        {
            new OperatorActAnswered("a2", "CP-1", "Accepted", T0.AddSeconds(8), null, OperatorActs.ReturnToService, 1),
            StartRequested("pay-2", C1, 8),
        }));
    }

    [Test]
    public void A_car_plugged_in_while_out_of_service_is_only_noted_and_is_chosen_from_its_plug_in_once_returned()
    {
        Act(OperatorActs.TakeOutOfService, C1, "a1", 0);
        Pay("pay-1", 1);
        Assert.That(Status(C1, ConnectorStatus.Preparing, 2), Is.EqualTo(new IGroupEvent[]
        {
            new ConnectorStatusNoted("CP-1", 1, ConnectorStatus.Preparing, T0.AddSeconds(2)),
        }));
        Assert.That(_state.Candidates, Is.Empty);
        Assert.That(Act(OperatorActs.ReturnToService, C1, "a2", 3), Is.EqualTo(new IGroupEvent[]
        {
            Acted(OperatorActs.ReturnToService, C1, "a2", 3),
            new ConnectorReturnedToService("CP-1", 1, "a2", "alice", T0.AddSeconds(3)),
            new ConnectorOccupied("CP-1", 1, T0.AddSeconds(2), null),
        }));
        Assert.That(_state.CandidateAt(C1), Is.Not.Null, "a candidate from its plug-in, started on once the return is answered");
        // Whatever the answer: a station that timed out or refused is asked to start all the same, and says so.
        Assert.That(When(new OperatorActAnswerReported("a2", "CP-1", "TimedOut", T0.AddSeconds(4)), 4), Is.EqualTo(new IGroupEvent[]
        {
            new OperatorActAnswered("a2", "CP-1", "TimedOut", T0.AddSeconds(4), null, OperatorActs.ReturnToService, 1),
            StartRequested("pay-1", C1, 4),
        }));
    }

    [Test]
    public void A_payment_that_arrives_while_a_return_waits_for_its_answer_starts_at_the_answer()
    {
        Status(C1, ConnectorStatus.Preparing, 0);
        Act(OperatorActs.TakeOutOfService, C1, "a1", 1);
        Act(OperatorActs.ReturnToService, C1, "a2", 2);
        Assert.That(Pay("pay-1", 3), Is.EqualTo(new IGroupEvent[]
        {
            new PaymentAuthorizationReceived("pay-1", "TERM-1", 5000, "EUR", T0.AddSeconds(3), T0.AddSeconds(3), 45),
        }), "the return is not answered yet: no start");
        var answer = new OperatorActAnswerReported("a2", "CP-1", "Accepted", T0.AddSeconds(4));
        Assert.That(When(answer, 4), Has.Member(StartRequested("pay-1", C1, 4)));
        Assert.That(When(answer with { ReceivedAt = T0.AddSeconds(5) }, 5), Is.Empty, "a copy of the answer changes nothing");
    }

    [Test]
    public void A_connector_taken_out_during_a_start_that_then_fails_is_no_candidate_again()
    {
        Status(C1, ConnectorStatus.Preparing, 0);
        Pay("pay-1", 1);
        Act(OperatorActs.TakeOutOfService, C1, "a1", 2);
        var failed = When(new RemoteStartAnswerReported("pay-1", C1, RemoteStartOutcome.Rejected, T0.AddSeconds(3)), 3);
        Assert.That(failed, Is.EqualTo(new IGroupEvent[]
        {
            new RemoteStartFailed("pay-1", "CP-1", 1, RemoteStartOutcome.Rejected, T0.AddSeconds(3)),
        }));
        Assert.That(_state.Candidates, Is.Empty, "the rejected start does not put it back");
        Assert.That(_state.Waiting("pay-1"), Is.Not.Null, "the payment waits for another connector");
    }

    [Test]
    public void A_transaction_started_by_rfid_while_out_of_service_uses_the_plug_in_so_the_return_makes_no_candidate()
    {
        Act(OperatorActs.TakeOutOfService, C1, "a1", 0);
        Status(C1, ConnectorStatus.Preparing, 1);
        Assert.That(When(new TransactionStartReported(C1, "RFID-CARD", 900, 0, T0.AddSeconds(2)), 2), Is.EqualTo(new IGroupEvent[]
        {
            new ConnectorStatusNoted("CP-1", 1, ConnectorStatus.Charging, T0.AddSeconds(2)),
        }));
        Pay("pay-1", 3);
        Assert.That(Act(OperatorActs.ReturnToService, C1, "a2", 4), Is.EqualTo(new IGroupEvent[]
        {
            Acted(OperatorActs.ReturnToService, C1, "a2", 4),
            new ConnectorReturnedToService("CP-1", 1, "a2", "alice", T0.AddSeconds(4)),
        }), "the car there charges by RFID: the payment is not started on it");
    }

    [Test]
    public void The_same_act_twice_an_older_act_and_an_act_on_what_is_not_the_groups_change_nothing_but_a_new_ask_is_sent()
    {
        Act(OperatorActs.TakeOutOfService, C1, "a1", 10);
        Assert.That(Act(OperatorActs.TakeOutOfService, C1, "a1", 11), Is.Empty, "the second click of a double click");
        Assert.That(Act(OperatorActs.ReturnToService, C1, "older", 5), Is.Empty, "an act submitted before the last one");
        Assert.That(Act(OperatorActs.UnlockConnector, new ConnectorRef("CP-9", 1), "elsewhere", 12), Is.Empty, "not the group's station");
        Assert.That(Act(OperatorActs.UnlockConnector, new ConnectorRef("CP-1", 3), "nowhere", 12), Is.Empty, "not the group's connector");
        Assert.That(When(new OperatorStationActReported("a-reset", OperatorActs.ResetStation, "alice", "hung", "CP-1", 1, T0.AddSeconds(12)), 12),
            Is.Empty, "a station's act named on a connector");
        // Asked again with a new act id (the station refused the first): recorded and sent, the group unchanged.
        Assert.That(Act(OperatorActs.TakeOutOfService, C1, "a3", 13), Is.EqualTo(new IGroupEvent[]
        {
            Acted(OperatorActs.TakeOutOfService, C1, "a3", 13),
        }));
        Assert.That(_state.OutOfService[C1], Is.EqualTo(new OutOfServiceNote("alice", "broken holster", "a1", T0.AddSeconds(10))));
    }

    [Test]
    public void A_stations_answer_is_recorded_with_what_the_act_was_and_on_which_connector()
    {
        Act(OperatorActs.UnlockConnector, C2, "a1", 1);
        When(new OperatorStationActReported("a2", OperatorActs.ResetStation, "bob", "hung", "CP-1", null, T0.AddSeconds(2)), 2);
        Assert.That(When(new OperatorActAnswerReported("a1", "CP-1", "Unlocked", T0.AddSeconds(3)), 3), Is.EqualTo(new IGroupEvent[]
        {
            new OperatorActAnswered("a1", "CP-1", "Unlocked", T0.AddSeconds(3), null, OperatorActs.UnlockConnector, 2),
        }));
        Assert.That(When(new OperatorActAnswerReported("a2", "CP-1", "Rejected", T0.AddSeconds(4)), 4), Is.EqualTo(new IGroupEvent[]
        {
            new OperatorActAnswered("a2", "CP-1", "Rejected", T0.AddSeconds(4), null, OperatorActs.ResetStation, null),
        }), "a station's act names no connector");
        Assert.That(When(new OperatorActAnswerReported("gone", "CP-1", "TimedOut", T0.AddSeconds(5)), 5), Is.EqualTo(new IGroupEvent[]
        {
            new OperatorActAnswered("gone", "CP-1", "TimedOut", T0.AddSeconds(5)),
        }), "an act the group no longer holds as the last on its target is answered all the same");
    }

    [Test]
    public void A_stations_answer_delivered_again_is_recorded_once_even_after_a_restart_from_the_snapshot()
    {
        Act(OperatorActs.UnlockConnector, C2, "a1", 1);
        var answer = new OperatorActAnswerReported("a1", "CP-1", "Unlocked", T0.AddSeconds(3));
        Assert.That(When(answer, 3), Has.Count.EqualTo(1), "the first delivery is recorded");
        Assert.That(When(answer with { ReceivedAt = T0.AddSeconds(4) }, 4), Is.Empty, "the second is the same answer");
        _state = GroupSnapshot.FromJson(GroupSnapshot.Of(_state).ToJson())!.ToState();
        Assert.That(When(answer with { ReceivedAt = T0.AddSeconds(5) }, 5), Is.Empty, "and so after a cold start");
        // A new act on the connector is answered afresh; the old one's answer is no longer known as given.
        Act(OperatorActs.UnlockConnector, C2, "a2", 6);
        Assert.That(When(new OperatorActAnswerReported("a2", "CP-1", "UnlockFailed", T0.AddSeconds(7)), 7), Is.EqualTo(new IGroupEvent[]
        {
            new OperatorActAnswered("a2", "CP-1", "UnlockFailed", T0.AddSeconds(7), null, OperatorActs.UnlockConnector, 2),
        }));
    }

    [Test]
    public void A_moot_stop_answered_by_the_group_itself_takes_no_second_answer()
    {
        Assert.That(When(new OperatorStationActReported("s1", OperatorActs.StopSession, "alice", "driver asked", "CP-1", 1, T0.AddSeconds(1)) { PaymentId = "pay-none" }, 1)
            .OfType<OperatorActAnswered>().Select(a => a.Answer), Is.EqualTo(new[] { OperatorActs.NotCharging }), "nothing charges: answered at once");
        Assert.That(When(new OperatorActAnswerReported("s1", "CP-1", "Accepted", T0.AddSeconds(2)), 2), Is.Empty);
    }

    [Test]
    public void A_group_restored_from_its_snapshot_remembers_what_is_out_of_service_and_the_last_acts()
    {
        Act(OperatorActs.TakeOutOfService, C1, "a1", 0);
        Act(OperatorActs.UnlockConnector, C2, "a2", 1);
        _state = GroupSnapshot.FromJson(GroupSnapshot.Of(_state).ToJson())!.ToState();
        Assert.That(Status(C1, ConnectorStatus.Preparing, 2), Is.EqualTo(new IGroupEvent[]
        {
            new ConnectorStatusNoted("CP-1", 1, ConnectorStatus.Preparing, T0.AddSeconds(2)),
        }), "still out of service");
        Assert.That(Act(OperatorActs.UnlockConnector, C2, "a2", 3), Is.Empty, "the act is known after the restart");
    }
}
