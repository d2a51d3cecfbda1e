using System.Reflection;
using System.Text.Json;
using ChargeLink.Cli.Audit;
using ChargeLink.Domain.Audit;
using ChargeLink.Domain.Groups;
using ChargeLink.EventLog;
using ChargeLink.Orchestrator.Delivering;

namespace ChargeLink.UnitTests.Domain;

/// <summary>
/// Every group event, walked through every place that reads events: a new event that one of them forgets fails here,
/// not silently in production.
/// </summary>
public sealed class GroupEventCatalogueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    /// <summary>One of each event; the first test keeps it complete.</summary>
    private static readonly IGroupEvent[] OneOfEach =
    [
        new ConnectorOccupied("CP-1", 1, T0, null),
        new ConnectorVacated("CP-1", 1, ConnectorStatus.Available, T0),
        new ConnectorStatusNoted("CP-1", 1, ConnectorStatus.Charging, T0),
        new PaymentAuthorizationReceived("pay-1", "TERM-1", 5000, "EUR", T0, T0),
        new PaymentCancelled("pay-1", T0),
        new ChargingStartRequested("pay-1", "CP-1", 1, "CLTAG", T0),
        new RemoteStartAccepted("pay-1", "CP-1", 1, T0),
        new RemoteStartFailed("pay-1", "CP-1", 1, RemoteStartOutcome.Rejected, T0),
        new RemoteStartConfirmedLate("pay-1", "CP-1", 1, "CLTAG", T0),
        new RemoteStartLost("pay-1", "CP-1", 1, T0),
        new ChargingStarted("pay-1", "CP-1", 1, 7, 100, T0),
        new MeterReadingNoted("pay-1", "CP-1", 1, 7, 600, T0),
        new ChargingStopped("pay-1", "CP-1", 1, 7, 1100, 1000, T0),
        new ChargingOverdue("pay-1", "CP-1", 1, 7, T0, T0),
        new ChargingEndedWithoutStop("pay-1", "CP-1", 1, 7, 600, 500, T0),
        new TransactionStopNoted("CP-1", 7, 1100, T0),
        new ChargingStopRequested("pay-1", "CP-1", 1, 7, T0),
        new PaymentCaptureRequested("pay-1", 45, "EUR", 1000, "CP-1-1-7", T0),
        new PaymentVoidRequested("pay-1", VoidReason.NoConnectorOccupied, T0),
        new PaymentAuthorizationExpired("pay-1", "TERM-1", T0, T0.AddHours(1)),
        new OperatorActed("act-1", OperatorActs.UnlockConnector, "alice", "cable stuck", null, "CP-1", 1, null, T0),
        new OperatorActAnswered("act-1", "CP-1", "Unlocked", T0),
        new ConnectorTakenOutOfService("CP-1", 1, "act-2", "alice", "broken holster", T0),
        new ConnectorReturnedToService("CP-1", 1, "act-3", "bob", T0),
        new PaymentsForgotten(["pay-1"], [new TransactionRef("CP-1", 7)], T0),
    ];

    private static IEnumerable<IGroupEvent> Events() => OneOfEach;

    [Test]
    public void The_catalogue_holds_every_event_record_of_the_domain()
    {
        var records = typeof(IGroupEvent).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IGroupEvent).IsAssignableFrom(t));
        Assert.That(OneOfEach.Select(e => e.GetType()), Is.EquivalentTo(records));
    }

    [Test]
    public void Each_event_has_its_own_versioned_stored_name()
    {
        var names = OneOfEach.Select(e => GroupEventTypes.NameOf(e.GetType())).ToList();
        Assert.That(names, Is.Unique);
        Assert.That(names, Has.All.Match("^[a-z_]+_v[0-9]+$"));
        Assert.That(names.Select(n => GroupEventTypes.ByName[n]), Is.EqualTo(OneOfEach.Select(e => e.GetType())), "the name leads back to the type");
    }

    [TestCaseSource(nameof(Events))]
    public void Stored_json_holds_the_record_s_parameters_and_nothing_else(IGroupEvent e)
    {
        // What IGroupEvent adds (the connector, the description) must never change a stored event's shape.
        var stored = JsonSerializer.SerializeToElement(e, e.GetType()).EnumerateObject().Select(p => p.Name);
        var parameters = e.GetType().GetConstructors().Single(c => c.GetParameters().Length > 0 && !c.GetParameters().Any(p => p.ParameterType == e.GetType())).GetParameters().Select(p => p.Name);
        Assert.That(stored, Is.EquivalentTo(parameters));
    }

    [TestCaseSource(nameof(Events))]
    public void Each_event_says_what_it_is_which_payment_and_which_connector(IGroupEvent e)
    {
        var description = e.Describe();
        Assert.That(description.What, Is.Not.Empty);
        Assert.That(description.Detail, Is.Not.Empty);
        var type = e.GetType();
        Assert.That(e.PaymentId, Is.EqualTo(type.GetProperty("PaymentId")?.GetValue(e)), "PaymentId is the record's own, where it has one");
        var chargePoint = type.GetProperty("ChargePointId")?.GetValue(e);
        var connector = type.GetProperty("ConnectorId")?.GetValue(e);
        Assert.That(e.Connector, Is.EqualTo(chargePoint is string cp && connector is int c ? new ConnectorRef(cp, c) : (ConnectorRef?)null), "Connector is the record's own, where it has one");
        Assert.That(EventLine.Of(e).What, Is.EqualTo(description.What), "the timeline's line");
    }

    [Test]
    public void Each_event_has_its_own_words()
    {
        Assert.That(OneOfEach.Select(e => e.Describe().What), Is.Unique);
    }

    [TestCaseSource(nameof(Events))]
    public void Every_fold_and_dispatch_knows_the_event(IGroupEvent e)
    {
        // The switches that remain throw on an event they do not name; here each meets each event once.
        Assert.That(() => GroupSummaries.Evolve(GroupSummary.Empty("site-1", Guid.Empty), e), Throws.Nothing, "the group summary");
        Assert.That(() => GroupCommands.For("site-1", e), Throws.Nothing, "the commands it sends");
        Assert.That(() => PaymentRecords.Evolve(null, Guid.Empty, "site-1", e), Throws.Nothing, "the payment record");
        // The group's state needs the event's context (a start needs its payment waiting): each event must apply to one
        // of the steps of a session, and no step may find it unknown.
        var applied = 0;
        foreach (var given in Steps())
        {
            try
            {
                given.Evolve(e);
                applied++;
            }
            catch (ArgumentOutOfRangeException unknown)
            {
                Assert.Fail($"the group's state does not know {e.GetType().Name}: {unknown.Message}");
            }
            catch (InvalidOperationException)
            {
                // Not in this step's context.
            }
        }
        Assert.That(applied, Is.Positive, $"{e.GetType().Name} applies to some step of a session");
    }

    // A session's steps, as folds: nothing yet, a payment waiting beside a candidate, its start requested, accepted, charging, stopped.
    private static IEnumerable<GroupState> Steps()
    {
        IGroupEvent[] session =
        [
            new ConnectorOccupied("CP-1", 1, T0, null),
            new PaymentAuthorizationReceived("pay-1", "TERM-1", 5000, "EUR", T0, T0),
            new ChargingStartRequested("pay-1", "CP-1", 1, "CLTAG", T0),
            new RemoteStartAccepted("pay-1", "CP-1", 1, T0),
            new ChargingStarted("pay-1", "CP-1", 1, 7, 100, T0),
            new ChargingStopped("pay-1", "CP-1", 1, 7, 1100, 1000, T0),
        ];
        var state = GroupState.Empty;
        yield return state;
        foreach (var e in session)
        {
            state = state.Evolve(e);
            yield return state;
        }
    }

    [Test]
    public void Commands_come_from_the_events_that_ask_a_station_or_the_payment_cloud_for_something()
    {
        var commanding = OneOfEach.Where(e => GroupCommands.For("site-1", e) is not null).Select(e => e.GetType().Name);
        Assert.That(commanding, Is.EquivalentTo(new[]
        {
            nameof(ChargingStartRequested), nameof(ChargingStopRequested), nameof(ChargingOverdue), nameof(PaymentCaptureRequested), nameof(PaymentVoidRequested),
            nameof(PaymentAuthorizationExpired), nameof(OperatorActed),
        }));
        Assert.That(GroupCommands.CommandingEvents.Select(t => t.Name), Is.EquivalentTo(commanding), "the event types the relay reads are those that command");
    }
}
