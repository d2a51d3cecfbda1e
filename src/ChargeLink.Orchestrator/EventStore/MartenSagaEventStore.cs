using System.Collections.Concurrent;
using JasperFx.Events;
using Marten;
using MassTransit;

namespace ChargeLink.Orchestrator.EventStore;

/// <summary>
/// The saga's stream in Marten: fold on load, append with the expected version on save. The fold of each stream
/// is kept in memory with its version, so a load reads only the events appended since; the stream stays the
/// truth (every load reads its tail from PostgreSQL, whoever appended it).
/// </summary>
public sealed class MartenSagaEventStore<TSaga>(IDocumentStore store) : ISagaEventStore<TSaga>
    where TSaga : class, IEventSourcedSaga, new()
{
    private readonly ConcurrentDictionary<Guid, (long Version, object State)> _snapshots = new();

    public async Task<(TSaga? Saga, long Version)> Load(Guid correlationId, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var saga = new TSaga { CorrelationId = correlationId };
        var from = 0L;
        if (_snapshots.TryGetValue(correlationId, out var snapshot))
        {
            saga.Restore(snapshot.State);
            from = snapshot.Version;
        }
        var events = await session.Events.FetchStreamAsync(correlationId, fromVersion: from + 1, token: cancellation);
        if (events.Count == 0 && from == 0)
            return (null, 0);
        saga.Replay(events.Select(e => e.Data));
        var version = events.Count > 0 ? events[^1].Version : from;
        if (events.Count > 0)
            Remember(saga, version);
        return (saga, version);
    }

    private void Remember(TSaga saga, long version) =>
        _snapshots.AddOrUpdate(saga.CorrelationId, (version, saga.Snapshot()), (_, old) => old.Version >= version ? old : (version, saga.Snapshot()));

    public async Task Save(TSaga saga, long expectedVersion, CancellationToken cancellation)
    {
        var events = saga.UncommittedEvents;
        if (events.Count == 0)
            return;
        await using var session = store.LightweightSession();
        if (expectedVersion == 0)
            session.Events.StartStream(saga.CorrelationId, events.ToArray());
        else
            // Marten's expected version is the one the stream has after this append.
            session.Events.Append(saga.CorrelationId, expectedVersion + events.Count, events.ToArray());
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
        Remember(saga, expectedVersion + events.Count);
        saga.ClearUncommittedEvents();
    }

    // Marten reports a lost race as one of these, depending on whether the stream was new.
    private static bool IsVersionConflict(Exception e) => e
        is Marten.Exceptions.ExistingStreamIdCollisionException
        or JasperFx.Events.ExistingStreamIdCollisionException
        or EventStreamUnexpectedMaxEventIdException;
}
