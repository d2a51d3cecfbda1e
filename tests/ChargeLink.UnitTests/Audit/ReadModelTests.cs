using ChargeLink.Domain.Audit;
using ChargeLink.Domain.Groups;

namespace ChargeLink.UnitTests.Audit;

/// <summary>The read models as folds of a group's events: given events, then the record.</summary>
public sealed class ReadModelTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Stream = Guid.NewGuid();

    private static readonly IGroupEvent[] WholeSession =
    [
        new ConnectorOccupied("CP-1", 2, T0, null),
        new PaymentAuthorizationReceived("pay-1", "TERM-1", 5000, "EUR", T0.AddSeconds(1), T0.AddSeconds(1)),
        new ChargingStartRequested("pay-1", "CP-1", 2, "CLTAG", T0.AddSeconds(1)),
        new RemoteStartFailed("pay-1", "CP-1", 2, RemoteStartOutcome.Rejected, T0.AddSeconds(2)),
        new ChargingStartRequested("pay-1", "CP-1", 2, "CLTAG", T0.AddSeconds(3)),
        new RemoteStartAccepted("pay-1", "CP-1", 2, T0.AddSeconds(4)),
        new ChargingStarted("pay-1", "CP-1", 2, 77, 1000, T0.AddSeconds(5)),
        new ChargingStopped("pay-1", "CP-1", 2, 77, 28_420, 27_420, T0.AddSeconds(60)),
        new PaymentCaptureRequested("pay-1", 1234, "EUR", 27_420, "CP-1-2-77", T0.AddSeconds(60)),
    ];

    private static PaymentRecord? Fold(IEnumerable<IGroupEvent> events) =>
        events.Aggregate((PaymentRecord?)null, (record, e) => e.PaymentId == "pay-1" ? PaymentRecords.Evolve(record, Stream, "site-1", e) : record);

    [Test]
    public void A_payment_s_record_tells_its_whole_story_from_authorization_to_capture()
    {
        var record = Fold(WholeSession)!;
        Assert.Multiple(() =>
        {
            Assert.That((record.Status, record.CapturedMinor, record.HeldMinor), Is.EqualTo((PaymentStatus.Captured, 1234L, 5000L)));
            Assert.That((record.StartAttempts, record.LastFailedStart), Is.EqualTo((2, "CP-1/2: Rejected")));
            Assert.That((record.ChargePointId, record.ConnectorId, record.TransactionId, record.SessionId), Is.EqualTo(("CP-1", 2, 77, "CP-1-2-77")));
            Assert.That((record.MeterStartWh, record.MeterStopWh, record.EnergyWh), Is.EqualTo((1000L, 28_420L, 27_420L)));
            Assert.That((record.StartedAt, record.StoppedAt, record.SettledAt), Is.EqualTo((T0.AddSeconds(5), T0.AddSeconds(60), T0.AddSeconds(60))));
        });
    }

    [Test]
    public void Nothing_is_recorded_for_a_payment_before_its_authorization()
    {
        Assert.That(Fold([new PaymentVoidRequested("pay-1", VoidReason.StationRejected, T0)]), Is.Null);
    }

    [TestCase(VoidReason.NoConnectorOccupied)]
    [TestCase(VoidReason.ChargingNotStarted)]
    public void A_void_records_its_reason(string reason)
    {
        var record = Fold([WholeSession[1], new PaymentVoidRequested("pay-1", reason, T0.AddSeconds(200))])!;
        Assert.That((record.Status, record.VoidReason, record.SettledAt), Is.EqualTo((PaymentStatus.Voided, reason, T0.AddSeconds(200))));
    }

    [Test]
    public void The_group_summary_shows_each_connector_s_last_state_and_what_waits_and_runs()
    {
        var state = GroupState.Empty;
        var summary = GroupSummary.Empty("site-1", Stream);
        foreach (var e in WholeSession.Take(7).Append(new ConnectorOccupied("CP-1", 1, T0.AddSeconds(6), null)).Append(new PaymentAuthorizationReceived("pay-2", "TERM-1", 900, "EUR", T0, T0)))
        {
            state = state.Evolve(e);
            summary = GroupSummaries.Evolve(summary, e);
        }
        summary = GroupSummaries.WithState(summary, state);
        Assert.That(summary.Version, Is.EqualTo(9));
        Assert.That(summary.Connectors.Select(c => (c.ConnectorId, c.State)), Is.EqualTo(new[] { (1, "Occupied"), (2, "Charging") }));
        Assert.That(summary.Sessions.Select(s => (s.PaymentId, s.Phase, s.TransactionId)), Is.EqualTo(new[] { ("pay-1", "Charging", (int?)77) }));
        // A fold records and never decides: pay-2 waits until a ChargingStartRequested pairs it with connector 1.
        Assert.That(summary.WaitingPayments.Select(p => p.PaymentId), Is.EqualTo(new[] { "pay-2" }));
    }

    [Test]
    public void A_group_summary_lists_connectors_and_sessions_by_station_then_connector_with_their_states()
    {
        IGroupEvent[] events =
        [
            new ConnectorOccupied("CP-2", 1, T0, null),
            new ConnectorOccupied("CP-1", 2, T0.AddSeconds(1), null),
            new ConnectorOccupied("CP-1", 1, T0.AddSeconds(2), null),
            new PaymentAuthorizationReceived("pay-1", "TERM-1", 5000, "EUR", T0.AddSeconds(3), T0.AddSeconds(3)),
            new ChargingStartRequested("pay-1", "CP-2", 1, "CLTAG1", T0.AddSeconds(3)),
            new PaymentAuthorizationReceived("pay-2", "TERM-1", 5000, "EUR", T0.AddSeconds(4), T0.AddSeconds(4)),
            new ChargingStartRequested("pay-2", "CP-1", 2, "CLTAG2", T0.AddSeconds(4)),
            new PaymentAuthorizationReceived("pay-3", "TERM-1", 5000, "EUR", T0.AddSeconds(5), T0.AddSeconds(5)),
            new ChargingStartRequested("pay-3", "CP-1", 1, "CLTAG3", T0.AddSeconds(5)),
        ];
        var summary = events.Aggregate(GroupSummary.Empty("site-1", Stream), GroupSummaries.Evolve);
        summary = GroupSummaries.WithState(summary, GroupState.Fold(events));
        Assert.Multiple(() =>
        {
            Assert.That(summary.Connectors.Select(c => $"{c.ChargePointId}/{c.ConnectorId} {c.State}"), Is.EqualTo(new[] { "CP-1/1 Starting", "CP-1/2 Starting", "CP-2/1 Starting" }));
            Assert.That(summary.Sessions.Select(s => $"{s.ChargePointId}/{s.ConnectorId}"), Is.EqualTo(new[] { "CP-1/1", "CP-1/2", "CP-2/1" }));
            Assert.That(summary.Version, Is.EqualTo(events.Length));
        });
    }

    // The expected order is written out by hand: ordinal by station ("CP-10" before "CP-9", capitals before small
    // letters), then by connector number; a tile that changes keeps its place, a new one takes its own.
    [Test]
    public void A_group_summary_keeps_many_connectors_in_station_then_connector_order_as_they_change()
    {
        IGroupEvent[] events =
        [
            new ConnectorOccupied("CP-9", 2, T0, null),
            new ConnectorOccupied("cp-1", 1, T0, null),
            new ConnectorOccupied("CP-10", 3, T0, null),
            new ConnectorOccupied("CP-9", 1, T0, null),
            new ConnectorOccupied("CP-10", 1, T0, null),
            new ConnectorVacated("CP-9", 2, ConnectorStatus.Available, T0.AddSeconds(1)),
            new ConnectorOccupied("CP-10", 2, T0.AddSeconds(2), null),
            new ConnectorVacated("cp-1", 1, ConnectorStatus.Available, T0.AddSeconds(3)),
            new ConnectorVacated("CP-10", 1, ConnectorStatus.Available, T0.AddSeconds(4)),
        ];
        var summary = events.Aggregate(GroupSummary.Empty("site-1", Stream), GroupSummaries.Evolve);
        Assert.That(
            summary.Connectors.Select(c => $"{c.ChargePointId}/{c.ConnectorId} {c.State}"),
            Is.EqualTo(new[] { "CP-10/1 Available", "CP-10/2 Occupied", "CP-10/3 Occupied", "CP-9/1 Occupied", "CP-9/2 Available", "cp-1/1 Available" })
        );
    }

    // The tile says who took the connector out of service through whatever the station reports meanwhile, and forgets
    // it once the connector is returned; its neighbour's tile never says so.
    [Test]
    public void A_connector_s_tile_keeps_who_took_it_out_of_service_until_it_is_returned()
    {
        IGroupEvent[] events =
        [
            new ConnectorOccupied("CP-1", 1, T0, null),
            new ConnectorTakenOutOfService("CP-1", 1, "act-1", "alice", "cable damaged", T0.AddSeconds(1)),
            new ConnectorVacated("CP-1", 1, ConnectorStatus.Unavailable, T0.AddSeconds(2)),
            new ConnectorOccupied("CP-1", 2, T0.AddSeconds(3), null),
            new ConnectorStatusNoted("CP-1", 1, ConnectorStatus.Faulted, T0.AddSeconds(4)),
        ];
        var summary = events.Aggregate(GroupSummary.Empty("site-1", Stream), GroupSummaries.Evolve);
        var outOfService = new OutOfServiceView("alice", "cable damaged", T0.AddSeconds(1));
        Assert.That(
            summary.Connectors.Select(c => (c.ConnectorId, c.State, c.OutOfService)),
            Is.EqualTo(new[] { (1, "Faulted", (OutOfServiceView?)outOfService), (2, "Occupied", null) })
        );
        var returned = GroupSummaries.Evolve(summary, new ConnectorReturnedToService("CP-1", 1, "act-2", "bob", T0.AddSeconds(5)));
        Assert.That(returned.Connectors.Select(c => (c.ConnectorId, c.State, c.OutOfService)), Is.EqualTo(new[] { (1, "Faulted", (OutOfServiceView?)null), (2, "Occupied", null) }));
    }

    [TestCase(0, "Starting")]
    [TestCase(1, "Occupied")]
    [TestCase(2, "Starting")]
    [TestCase(3, "Charging")]
    [TestCase(4, "Finishing")]
    [TestCase(5, "Finishing")]
    public void A_connector_s_state_follows_its_session(int last, string state)
    {
        IGroupEvent[] after =
        [
            new ChargingStartRequested("pay-1", "CP-1", 1, "CLTAG", T0),
            new RemoteStartFailed("pay-1", "CP-1", 1, RemoteStartOutcome.TimedOut, T0.AddSeconds(60)),
            new RemoteStartConfirmedLate("pay-1", "CP-1", 1, "CLTAG", T0.AddSeconds(61)),
            new ChargingStarted("pay-1", "CP-1", 1, 5, 0, T0.AddSeconds(62)),
            new ChargingStopped("pay-1", "CP-1", 1, 5, 100, 100, T0.AddSeconds(90)),
            new ChargingEndedWithoutStop("pay-1", "CP-1", 1, 5, 100, 100, T0.AddSeconds(91)),
        ];
        var summary = after[..(last + 1)].Aggregate(GroupSummary.Empty("site-1", Stream), GroupSummaries.Evolve);
        Assert.That(summary.Connectors.Single().State, Is.EqualTo(state));
    }

    [TestCase(PaymentStatus.Waiting, false)]
    [TestCase(PaymentStatus.Starting, false)]
    [TestCase(PaymentStatus.Charging, false)]
    [TestCase(PaymentStatus.Captured, true)]
    [TestCase(PaymentStatus.Voided, true)]
    [TestCase(PaymentStatus.Cancelled, true)]
    public void Captured_voided_and_cancelled_payments_are_settled(PaymentStatus status, bool settled) =>
        Assert.That(PaymentRecords.IsSettled(Fold(WholeSession)! with { Status = status }), Is.EqualTo(settled));
}
