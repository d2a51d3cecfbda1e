using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Orchestrator.Deciding;
using ChargeLink.Orchestrator.Storing;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// A cold start costs the same after a year as after an hour: a group with 100,000 settled payments in its stream (eleven
/// days of them, one every ten seconds) is loaded by an instance that never held it from its last snapshot and the events
/// after it, and from then on decides exactly as the same group folded from its first event.
/// </summary>
[TestFixture]
public sealed class ColdStartTests : SystemFixture
{
    private const int Payments = 100_000;
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ConnectorRef C1 = new("CP-OLD", 1);
    private static readonly ConnectorRef C2 = new("CP-OLD", 2);

    private static readonly GroupPolicy Policy = new(new Tariff(45, "EUR"), TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120))
    {
        Connectors = [C1, C2],
        IdTagKey = new byte[32],
        Retention = TimeSpan.FromMinutes(30),
    };

    [Test]
    public async Task A_group_with_100000_settled_payments_loads_from_its_snapshot_and_decides_as_one_folded_from_the_start()
    {
        var id = Guid.NewGuid();
        var writer = new MartenSagaEventStore<StationGroupSaga>(EventStore, Commits, []);
        var saga = new StationGroupSaga { CorrelationId = id };
        long version = 0;
        var now = T0;

        async Task Append()
        {
            var appended = saga.UncommittedEvents.Count;
            await writer.Save(saga, version, CancellationToken.None);
            version += appended;
        }

        void Decide(GroupFact fact)
        {
            foreach (var e in GroupDecider.Decide(saga.State, fact, now, Policy))
                saga.Record(e);
        }

        // Payments in another currency than the tariff's are voided on arrival; every thousandth charges on C1 and is
        // captured; every hundredth payment the clock ticks (and the retention rule forgets what is a period old).
        for (var n = 0; n < Payments; n++)
        {
            now = T0.AddSeconds(n * 10);
            if (n % 1000 == 0)
                ChargeOnC1(Decide, $"old-{n}", ref now);
            else
                Decide(new PaymentAuthorizationReported($"old-{n}", "TERM-OLD", new Money(5000, "SEK"), now, now));
            if (n % 100 == 99)
                Decide(new ClockTicked(now));
            // The last few appends are small, as live traffic's are: they land after the last snapshot.
            if (saga.UncommittedEvents.Count >= 1000 || (n >= Payments - 10 && saga.UncommittedEvents.Count > 0))
                await Append();
        }
        await Append();

        await using (var query = EventStore.QuerySession())
        {
            var snapshot = await query.LoadAsync<StreamSnapshot>(id);
            Assert.That(snapshot, Is.Not.Null, "a snapshot was kept beside the stream");
            Assert.That(version, Is.GreaterThan(2 * Payments), "the stream holds every payment's events");
            Assert.That(version - snapshot!.Version, Is.InRange(1, StreamSnapshot.Every), "the last snapshot is a few events behind the head");

            // An instance that never held the group: its cold load reads the snapshot and the events after it only.
            var cold = new MartenSagaEventStore<StationGroupSaga>(EventStore, Commits, []);
            var (loaded, loadedVersion) = await cold.Load(id, CancellationToken.None);
            Assert.That((loadedVersion, cold.EventsFoldedOnLoad), Is.EqualTo((version, version - snapshot.Version)), "loaded at the head, from the events after the snapshot alone");

            // The same group folded from its first event, as an auditor's replay does.
            var all = await query.Events.FetchStreamAsync(id);
            var folded = GroupState.Fold(all.Select(e => (IGroupEvent)e.Data));
            Assert.That(all.Count, Is.EqualTo(version));
            Assert.That(GroupSnapshot.Of(loaded!.State).ToJson(), Is.EqualTo(GroupSnapshot.Of(folded).ToJson()), "the loaded state is the fold of the whole stream");
            Assert.That(folded.Payments.Count, Is.LessThan(400), "the state holds the last retention period's payments, not the history's");

            // From here both decide alike: a forgotten payment's authorization again, then a car and a new payment.
            now = now.AddMinutes(1);
            GroupFact[] next =
            [
                new PaymentAuthorizationReported("old-0", "TERM-OLD", new Money(5000, "SEK"), T0, now),
                new ConnectorStatusReported(C2, ConnectorStatus.Preparing, null, now),
                new PaymentAuthorizationReported("new-1", "TERM-OLD", new Money(5000, "EUR"), now, now),
            ];
            var (fromSnapshot, fromStart) = (loaded.State, folded);
            foreach (var fact in next)
            {
                var a = GroupDecider.Decide(fromSnapshot, fact, now, Policy);
                var b = GroupDecider.Decide(fromStart, fact, now, Policy);
                Assert.That(Json(a), Is.EqualTo(Json(b)), $"{fact}: the same decision either way");
                fromSnapshot = a.Aggregate(fromSnapshot, (s, e) => s.Evolve(e));
                fromStart = b.Aggregate(fromStart, (s, e) => s.Evolve(e));
                if (fact is PaymentAuthorizationReported { PaymentId: "old-0" })
                    Assert.That(a, Is.EqualTo(new IGroupEvent[] { new PaymentAuthorizationExpired("old-0", "TERM-OLD", T0, now) }),
                        "a payment forgotten eleven days ago starts and settles nothing: the adapter is asked to void it only if it has no instruction");
                if (fact is PaymentAuthorizationReported { PaymentId: "new-1" })
                    Assert.That(a.OfType<ChargingStartRequested>().Select(s => (s.PaymentId, s.ChargePointId, s.ConnectorId)), Is.EqualTo(new[] { ("new-1", "CP-OLD", 2) }), "the new payment starts on the occupied connector");
            }
        }
    }

    [Test]
    public async Task A_preloaded_group_is_used_while_its_stream_has_not_moved_and_read_again_once_another_instance_appended()
    {
        var (current, moved) = (Guid.NewGuid(), Guid.NewGuid());
        var writer = new MartenSagaEventStore<StationGroupSaga>(EventStore, Commits, []);
        foreach (var id in new[] { current, moved })
            await SaveDecisions(writer, id, 0, new ConnectorStatusReported(C1, ConnectorStatus.Preparing, null, T0));

        // A standby's start: both groups folded ahead of their messages.
        var standby = new MartenSagaEventStore<StationGroupSaga>(EventStore, Commits, []);
        await standby.Preload([current, moved, Guid.NewGuid()], CancellationToken.None);
        var foldedAhead = standby.EventsFoldedOnLoad;
        Assert.That(foldedAhead, Is.EqualTo(2), "each group's one event read by the preload (a group with no stream is none)");

        // Meanwhile the active instance decides on one of them: C2 becomes occupied too.
        var (activeView, activeVersion) = await writer.Load(moved, CancellationToken.None);
        await SaveDecisions(writer, moved, activeVersion, new ConnectorStatusReported(C2, ConnectorStatus.Preparing, null, T0.AddSeconds(5)), activeView);

        // The partitions move to the standby: the untouched group is taken as preloaded, the moved one is read again.
        var (same, sameVersion) = await standby.Load(current, CancellationToken.None);
        Assert.That((sameVersion, standby.EventsFoldedOnLoad), Is.EqualTo((1L, foldedAhead)), "the preloaded fold was current: nothing read again");
        Assert.That(same!.State.Candidates.Select(c => c.Connector), Is.EqualTo(new[] { C1 }));
        var (fresh, freshVersion) = await standby.Load(moved, CancellationToken.None);
        Assert.That(freshVersion, Is.EqualTo(2), "the stream's head, not the preload's version");
        Assert.That(fresh!.State.Candidates.Select(c => c.Connector), Is.EquivalentTo(new[] { C1, C2 }), "the other instance's decision is in the state");
    }

    // Decides the fact on the saga (or a new one) and appends what it decided at the expected version.
    private static async Task SaveDecisions(MartenSagaEventStore<StationGroupSaga> store, Guid id, long version, GroupFact fact, StationGroupSaga? saga = null)
    {
        saga ??= new StationGroupSaga { CorrelationId = id };
        foreach (var e in GroupDecider.Decide(saga.State, fact, T0, Policy))
            saga.Record(e);
        Assert.That(saga.UncommittedEvents, Is.Not.Empty, $"{fact} decides something");
        await store.Save(saga, version, CancellationToken.None);
    }

    // Events compared by what they hold (some hold lists, which records compare by reference).
    private static string[] Json(IEnumerable<IGroupEvent> events) => [.. events.Select(e => $"{e.GetType().Name} {System.Text.Json.JsonSerializer.Serialize(e, e.GetType())}")];

    // Plug in on C1, pay in the tariff's currency, accept, start, stop with 12,000 Wh, unplug: a capture of 540.
    private static void ChargeOnC1(Action<GroupFact> decide, string paymentId, ref DateTimeOffset now)
    {
        decide(new ConnectorStatusReported(C1, ConnectorStatus.Preparing, null, now));
        decide(new PaymentAuthorizationReported(paymentId, "TERM-OLD", new Money(5000, "EUR"), now, now));
        decide(new RemoteStartAnswerReported(paymentId, C1, RemoteStartOutcome.Accepted, now = now.AddSeconds(1)));
        decide(new TransactionStartReported(C1, IdTag.ForPayment(paymentId, Policy.IdTagKey.Span), 1, 1_000, now = now.AddSeconds(1)));
        decide(new TransactionStopReported("CP-OLD", 1, 13_000, now = now.AddSeconds(5)));
        decide(new ConnectorStatusReported(C1, ConnectorStatus.Available, null, now = now.AddSeconds(1)));
    }
}
