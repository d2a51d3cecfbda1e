using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Orchestrator.Storing;
using ChargeLink.Simulators;
using Marten;
using MassTransit;
using Npgsql;

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
        var events = new MartenSagaEventStore<RecordingSaga>(EventStore, Commits, []);
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
        var (fresh, freshVersion) = await new MartenSagaEventStore<RecordingSaga>(EventStore, Commits, []).Load(id, CancellationToken.None);
        Assert.That((fresh!.History, freshVersion), Is.EqualTo((final!.History, finalVersion)), "a store without snapshots reads the same from the stream");
        Assert.That(finalVersion, Is.EqualTo(2));
        Assert.That(final!.History.Select(e => e.GetType()), Is.EqualTo(new[] { typeof(ConnectorOccupied), typeof(ConnectorVacated) }), "only the winning append is in the stream");
    }

    [Test]
    public async Task An_owner_that_trusted_its_memory_while_another_instance_appended_loses_the_append_and_then_reads_the_stream()
    {
        // Two instances' stores: A owned the group, B took it over meanwhile (a partition that moved and came back).
        var a = new MartenSagaEventStore<RecordingSaga>(EventStore, Commits, []);
        var b = new MartenSagaEventStore<RecordingSaga>(EventStore, Commits, []);
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

    [Test]
    public async Task Appends_of_several_groups_queued_together_commit_in_one_transaction()
    {
        var streams = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        var outcomes = Commits.CommitBatch(streams.Select(id => Start(id, new ConnectorOccupied("CP-X", 1, DateTimeOffset.UtcNow, null))));
        await Task.WhenAll(outcomes);

        Assert.That(await TransactionsOf(streams), Is.EqualTo(1), "one PostgreSQL transaction wrote all three streams' events");
        foreach (var id in streams)
            Assert.That(await StreamLength(id), Is.EqualTo(1), $"stream {id} is durable");
    }

    [Test]
    public async Task In_a_batch_one_groups_lost_race_fails_that_append_alone()
    {
        var taken = Guid.NewGuid();
        await Task.WhenAll(Commits.CommitBatch([Start(taken, new ConnectorOccupied("CP-X", 1, DateTimeOffset.UtcNow, null))]));
        var fresh = Guid.NewGuid();

        var outcomes = Commits.CommitBatch(
        [
            Start(taken, new ConnectorOccupied("CP-X", 2, DateTimeOffset.UtcNow, null)),
            Start(fresh, new ConnectorOccupied("CP-Y", 1, DateTimeOffset.UtcNow, null)),
        ]);

        Assert.That(async () => await outcomes[0], Throws.InstanceOf<Exception>(), "a second 'new' stream with a taken id loses");
        await outcomes[1];
        Assert.That((await StreamLength(taken), await StreamLength(fresh)), Is.EqualTo((1, 1)), "the other group's append is committed; the loser wrote nothing");
    }

    private static GroupCommit.Stage Start(Guid id, params object[] events) => (session, _) =>
    {
        session.Events.StartStream(id, events);
        return Task.CompletedTask;
    };

    private async Task<int> StreamLength(Guid id)
    {
        await using var session = EventStore.QuerySession();
        return (await session.Events.FetchStreamAsync(id)).Count;
    }

    private async Task<long> TransactionsOf(Guid[] streams)
    {
        await using var connection = new NpgsqlConnection(RealServices.Postgres);
        await connection.OpenAsync();
        // Every row carries the id of the transaction that wrote it.
        await using var command = new NpgsqlCommand($"select count(distinct xmin::text) from \"{Deployment.Schema}\".mt_events where stream_id = any($1)", connection)
        {
            Parameters = { new() { Value = streams } },
        };
        return (long)(await command.ExecuteScalarAsync())!;
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

        // Always folded from its whole stream.
        public string? StoredSnapshot() => null;

        public bool RestoreStored(string stored) => false;

        public void Record(object e)
        {
            History.Add(e);
            _uncommitted.Add(e);
        }
    }

}
