using System.Collections.Concurrent;
using ChargeLink.EventLog;
using JasperFx.Events;
using Marten;
using MassTransit;

namespace ChargeLink.Orchestrator.EventStore;

/// <summary>
/// The saga's stream in Marten: fold on load, append with the expected version on save. The fold of each stream
/// is kept in memory with its version, so a load reads only the events appended since; the stream stays the
/// truth (every load reads its tail from PostgreSQL, whoever appended it). Every appended event gets its link of
/// the stream's hash chain (<see cref="EventChain"/>) in its headers, in the same insert.
/// </summary>
public sealed class MartenSagaEventStore<TSaga>(IDocumentStore store, IEnumerable<ISagaProjection<TSaga>> projections) : ISagaEventStore<TSaga>
    where TSaga : class, IEventSourcedSaga, new()
{
    private readonly ConcurrentDictionary<Guid, (long Version, object State, string Chain)> _snapshots = new();

    public async Task<(TSaga? Saga, long Version)> Load(Guid correlationId, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var saga = new TSaga { CorrelationId = correlationId };
        var from = 0L;
        var chain = EventChain.Genesis;
        if (_snapshots.TryGetValue(correlationId, out var snapshot))
        {
            saga.Restore(snapshot.State);
            (from, chain) = (snapshot.Version, snapshot.Chain);
        }
        var events = await session.Events.FetchStreamAsync(correlationId, fromVersion: from + 1, token: cancellation);
        if (events.Count == 0 && from == 0)
            return (null, 0);
        saga.Replay(events.Select(e => e.Data));
        var version = events.Count > 0 ? events[^1].Version : from;
        if (events.Count > 0)
            Remember(saga, version, LinkOf(events[^1]));
        return (saga, version);
    }

    private void Remember(TSaga saga, long version, string chain) =>
        _snapshots.AddOrUpdate(saga.CorrelationId, (version, saga.Snapshot(), chain), (_, old) => old.Version >= version ? old : (version, saga.Snapshot(), chain));

    // An event stored before the chain existed has no link; the chain then starts again from the genesis value.
    private static string LinkOf(IEvent stored) => stored.GetHeader(EventChain.Header)?.ToString() ?? EventChain.Genesis;

    private async Task<string> LinkAt(IQuerySession session, Guid streamId, long version, CancellationToken cancellation)
    {
        if (version == 0)
            return EventChain.Genesis;
        if (_snapshots.TryGetValue(streamId, out var snapshot) && snapshot.Version == version)
            return snapshot.Chain;
        var events = await session.Events.FetchStreamAsync(streamId, version: version, fromVersion: version, token: cancellation);
        return events.Count > 0 ? LinkOf(events[^1]) : EventChain.Genesis;
    }

    public async Task Save(TSaga saga, long expectedVersion, CancellationToken cancellation)
    {
        var events = saga.UncommittedEvents;
        if (events.Count == 0)
            return;
        await using var session = store.LightweightSession();
        var stream = expectedVersion == 0
            ? session.Events.StartStream(saga.CorrelationId, events.ToArray())
            // Marten's expected version is the one the stream has after this append.
            : session.Events.Append(saga.CorrelationId, expectedVersion + events.Count, events.ToArray());
        var link = await LinkAt(session, saga.CorrelationId, expectedVersion, cancellation);
        var serializer = store.Options.Serializer();
        foreach (var (stored, version) in stream.Events.Select((e, i) => (e, expectedVersion + i + 1)))
        {
            link = EventChain.Link(link, saga.CorrelationId, version, GroupEventTypes.NameOf(stored.Data.GetType()), serializer.ToJson(stored.Data));
            stored.SetHeader(EventChain.Header, link);
        }
        foreach (var projection in projections)
            await projection.Project(session, saga, events, expectedVersion, cancellation);
        if (saga is IHasDeadline scheduled)
            session.Store(new SagaDeadline { Id = saga.CorrelationId, Owner = scheduled.DeadlineOwner, DueAt = scheduled.NextDeadline });
        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (Exception e) when (IsVersionConflict(e))
        {
            throw new ConcurrencyException($"stream {saga.CorrelationId} moved past version {expectedVersion}", typeof(TSaga), saga.CorrelationId, e);
        }
        Remember(saga, expectedVersion + events.Count, link);
        foreach (var projection in projections)
            projection.Committed(saga, expectedVersion + events.Count);
        saga.ClearUncommittedEvents();
    }

    // Marten reports a lost race as one of these, depending on whether the stream was new.
    private static bool IsVersionConflict(Exception e) => e
        is Marten.Exceptions.ExistingStreamIdCollisionException
        or JasperFx.Events.ExistingStreamIdCollisionException
        or EventStreamUnexpectedMaxEventIdException;
}
