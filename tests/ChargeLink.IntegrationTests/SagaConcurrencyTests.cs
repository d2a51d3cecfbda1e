using System.Text.Json.Nodes;
using ChargeLink.Cli.Simulators;
using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Orchestrator.EventStore;
using Marten;
using MassTransit;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The group saga on the real broker and database when many messages for one group arrive at once:
/// appends race, the losers are retried from a fresh load, and the stream still obeys every rule.
/// </summary>
[TestFixture]
public sealed class SagaConcurrencyTests : SystemFixture
{
    [Test]
    public async Task Concurrent_payments_start_the_earliest_occupied_connectors_each_once()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        const int payments = 6;
        for (var connector = 1; connector <= ChargeLinkSystem.ConnectorCount; connector++)
        {
            var answer = await station.Call("StatusNotification", new JsonObject { ["connectorId"] = connector, ["errorCode"] = "NoError", ["status"] = "Preparing" });
            Assert.That(answer[0]!.GetValue<int>(), Is.EqualTo(3));
        }
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Count() == ChargeLinkSystem.ConnectorCount, TimeSpan.FromSeconds(20), "all connectors occupied");
        var occupiedOrder = (await GroupEvents()).OfType<ConnectorOccupied>().OrderBy(o => o.OccupiedAt).Select(o => o.ConnectorId).ToList();

        // Each payment delivered twice, all at once: duplicates and races together.
        var paymentIds = Enumerable.Range(1, payments).Select(i => $"pay_{Deployment.RunId}_{i}").ToList();
        await Task.WhenAll(paymentIds.Concat(paymentIds).Select(id => Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(id, Deployment.TerminalId))));

        var remoteStarts = new List<JsonArray>();
        for (var i = 0; i < payments; i++)
        {
            var call = await station.NextCallFromGateway(TimeSpan.FromSeconds(20));
            remoteStarts.Add(call);
            await station.Answer(call, new JsonObject { ["status"] = "Accepted" });
        }

        await Eventually.True(async () => (await GroupEvents()).OfType<ChargingStartRequested>().Count() >= payments, TimeSpan.FromSeconds(20), $"{payments} start decisions in the stream");
        // A late duplicate would come within the relay's republish window: look for it before counting.
        Assert.ThrowsAsync<TimeoutException>(() => station.NextCallFromGateway(Quiet.AfterRepublish), "no further RemoteStartTransaction");
        var starts = (await GroupEvents()).OfType<ChargingStartRequested>().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(starts.Select(s => s.PaymentId), Is.EquivalentTo(paymentIds), "every payment started exactly once");
            Assert.That(starts.Select(s => s.ConnectorId), Is.EquivalentTo(occupiedOrder.Take(payments)), "the earliest-occupied connectors, each once");
            Assert.That(remoteStarts.Select(c => c[3]!["connectorId"]!.GetValue<int>()), Is.EquivalentTo(occupiedOrder.Take(payments)), "one RemoteStartTransaction per decision");
        });
        var events = await GroupEvents();
        Assert.That(events.OfType<PaymentAuthorizationReceived>().Count(), Is.EqualTo(payments), "duplicates recorded nothing");
    }

    [Test]
    public async Task An_append_against_a_stale_version_is_a_concurrency_conflict()
    {
        var events = new MartenSagaEventStore<RecordingSaga>(EventStore, []);
        var id = Guid.NewGuid();
        await events.Save(new RecordingSaga(id, new ConnectorOccupied("CP-X", 1, DateTimeOffset.UtcNow, null)), expectedVersion: 0, CancellationToken.None);

        var (loadedA, versionA) = await events.Load(id, CancellationToken.None);
        var (loadedB, versionB) = await events.Load(id, CancellationToken.None);
        Assert.That((versionA, versionB), Is.EqualTo((1L, 1L)));
        loadedA!.Record(new ConnectorVacated("CP-X", 1, ConnectorStatus.Available, DateTimeOffset.UtcNow));
        loadedB!.Record(new ConnectorOccupied("CP-X", 2, DateTimeOffset.UtcNow, null));
        await events.Save(loadedA, versionA, CancellationToken.None);

        Assert.ThrowsAsync<ConcurrencyException>(() => events.Save(loadedB, versionB, CancellationToken.None), "B loaded version 1, but A moved the stream to 2");
        Assert.ThrowsAsync<ConcurrencyException>(
            () => events.Save(new RecordingSaga(id, new ConnectorOccupied("CP-X", 3, DateTimeOffset.UtcNow, null)), expectedVersion: 0, CancellationToken.None),
            "a second 'new' stream with the same id");

        var (final, finalVersion) = await events.Load(id, CancellationToken.None);
        var (fresh, freshVersion) = await new MartenSagaEventStore<RecordingSaga>(EventStore, []).Load(id, CancellationToken.None);
        Assert.That((fresh!.History, freshVersion), Is.EqualTo((final!.History, finalVersion)), "a store without snapshots reads the same from the stream");
        Assert.That(finalVersion, Is.EqualTo(2));
        Assert.That(final!.History.Select(e => e.GetType()), Is.EqualTo(new[] { typeof(ConnectorOccupied), typeof(ConnectorVacated) }), "only the winning append is in the stream");
    }

    [Test]
    public async Task An_owner_that_trusted_its_memory_while_another_instance_appended_loses_the_append_and_then_reads_the_stream()
    {
        // Two instances' stores: A owned the group, B took it over meanwhile (a partition that moved and came back).
        var a = new MartenSagaEventStore<RecordingSaga>(EventStore, []);
        var b = new MartenSagaEventStore<RecordingSaga>(EventStore, []);
        var id = Guid.NewGuid();
        await a.Save(new RecordingSaga(id, new ConnectorOccupied("CP-X", 1, DateTimeOffset.UtcNow, null)), expectedVersion: 0, CancellationToken.None);
        var (taken, takenVersion) = await b.Load(id, CancellationToken.None);
        taken!.Record(new ConnectorOccupied("CP-X", 2, DateTimeOffset.UtcNow, null));
        await b.Save(taken, takenVersion, CancellationToken.None);

        var (stale, staleVersion) = await a.Load(id, CancellationToken.None);
        Assert.That((stale!.History.Count, staleVersion), Is.EqualTo((1, 1L)), "A answers from its memory, without reading the stream");
        stale.Record(new ConnectorVacated("CP-X", 1, ConnectorStatus.Available, DateTimeOffset.UtcNow));
        Assert.ThrowsAsync<ConcurrencyException>(() => a.Save(stale, staleVersion, CancellationToken.None), "the stream is at 2, not 1");

        var (reread, rereadVersion) = await a.Load(id, CancellationToken.None);
        Assert.That((reread!.History.Count, rereadVersion), Is.EqualTo((2, 2L)), "after the lost append A reads the stream");
        Assert.That(reread.History.OfType<ConnectorOccupied>().Select(o => o.ConnectorId), Is.EqualTo(new[] { 1, 2 }));
    }

    /// <summary>The smallest event-sourced saga: its state is the list of its events, replayed and recorded.</summary>
    public sealed class RecordingSaga() : IEventSourcedSaga
    {
        private readonly List<object> _uncommitted = [];

        public RecordingSaga(Guid id, params object[] events) : this()
        {
            CorrelationId = id;
            foreach (var e in events)
                Record(e);
        }

        public Guid CorrelationId { get; set; }

        public List<object> History { get; } = [];

        public IReadOnlyList<object> UncommittedEvents => _uncommitted;

        public void ClearUncommittedEvents() => _uncommitted.Clear();

        public void Replay(IEnumerable<object> events) => History.AddRange(events);

        public object Snapshot() => History.ToList();

        public void Restore(object snapshot) => History.AddRange((List<object>)snapshot);

        public void Record(object e)
        {
            History.Add(e);
            _uncommitted.Add(e);
        }
    }

}
