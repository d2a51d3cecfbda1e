using System.Collections.Concurrent;
using ChargeLink.EventLog;
using ChargeLink.Orchestrator.Deciding;
using ChargeLink.Orchestrator.Delivering;
using JasperFx.Events;
using Marten;
using MassTransit;

namespace ChargeLink.Orchestrator.Storing;

/// <summary>
/// The saga's stream in Marten: fold on load, append with the expected version on save. Every appended event gets its
/// link of the stream's hash chain (<see cref="EventChain"/>) in its headers, in the same insert.
/// The fold of each stream this instance appended to is kept in memory with its version, and a load trusts it without
/// reading the stream: each group's partition has one consumer at a time (<c>GroupPartitionEndpoints</c>), so what this
/// instance appended last is normally the tail. Should anyone else have appended meanwhile (a partition that moved and
/// came back), the append's expected version no longer matches: the save fails, the fold is forgotten, and the retry
/// reads the stream. Known gap: a message that yields no events on such a stale fold appends nothing, so nothing catches
/// it (why groups are never loaded ahead of owning them). Appends of different groups that arrive
/// together are committed in one transaction (<see cref="GroupCommit"/>); each returns once its own are durable.
/// A group this instance does not hold yet is loaded from its last <see cref="StreamSnapshot"/> and the events after it, so
/// a cold start reads at most <see cref="StreamSnapshot.Every"/> events of a group, however old the group.
/// </summary>
public sealed class MartenSagaEventStore<TSaga>(IDocumentStore store, GroupCommit commits, IEnumerable<ISagaProjection<TSaga>> projections) : ISagaEventStore<TSaga>
    where TSaga : class, IEventSourcedSaga, new()
{
    private readonly ConcurrentDictionary<Guid, (long Version, object State, string Chain)> _snapshots = new();

    // The deadline each stream's document holds as far as this instance knows: it is written only when it changes.
    private readonly ConcurrentDictionary<Guid, DateTimeOffset?> _storedDeadlines = new();

    /// <summary>How many events this store has read to fold streams it did not hold (cold starts), since it began.</summary>
    public long EventsFoldedOnLoad => Interlocked.Read(ref _eventsFoldedOnLoad);

    private long _eventsFoldedOnLoad;

    public async Task<(TSaga? Saga, long Version)> Load(Guid correlationId, CancellationToken cancellation)
    {
        var saga = new TSaga { CorrelationId = correlationId };
        if (_snapshots.TryGetValue(correlationId, out var snapshot))
        {
            saga.Restore(snapshot.State);
            return (saga, snapshot.Version);
        }
        // A cold start: the stream's last snapshot, if this code can read it, and the events after it.
        await using var session = store.QuerySession();
        var stored = await session.LoadAsync<StreamSnapshot>(correlationId, cancellation);
        var from = stored is not null && saga.RestoreStored(stored.State) ? stored : null;
        var events = await session.Events.FetchStreamAsync(correlationId, fromVersion: (from?.Version ?? 0) + 1, token: cancellation);
        Interlocked.Add(ref _eventsFoldedOnLoad, events.Count);
        OrchestratorMetrics.EventsFoldedOnLoad.Inc(events.Count);
        if (events.Count == 0 && from is null)
            return (null, 0);
        saga.Replay(events.Select(e => e.Data));
        var (version, chain) = events.Count > 0 ? (events[^1].Version, LinkOf(events[^1])) : (from!.Version, from.Chain);
        Remember(saga, version, chain);
        return (saga, version);
    }

    private void Forget(Guid correlationId)
    {
        _snapshots.TryRemove(correlationId, out _);
        _storedDeadlines.TryRemove(correlationId, out _);
    }

    private void Remember(TSaga saga, long version, string chain) =>
        _snapshots.AddOrUpdate(saga.CorrelationId, (version, saga.Snapshot(), chain), (_, old) => old.Version >= version ? old : (version, saga.Snapshot(), chain));

    // An event stored before the chain existed has no link; the chain then starts again from the genesis value.
    private static string LinkOf(IEvent stored) => stored.GetHeader(EventChain.Header)?.ToString() ?? EventChain.Genesis;

    private async Task<string> LinkAt(Guid streamId, long version, CancellationToken cancellation)
    {
        if (version == 0)
            return EventChain.Genesis;
        if (_snapshots.TryGetValue(streamId, out var snapshot) && snapshot.Version == version)
            return snapshot.Chain;
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(streamId, version: version, fromVersion: version, token: cancellation);
        return events.Count > 0 ? LinkOf(events[^1]) : EventChain.Genesis;
    }

    public async Task Save(TSaga saga, long expectedVersion, CancellationToken cancellation)
    {
        var events = saga.UncommittedEvents.ToArray();
        if (events.Length == 0)
            return;
        var previous = await LinkAt(saga.CorrelationId, expectedVersion, cancellation);
        var link = previous;
        var deadline = (saga as IHasDeadline)?.NextDeadline;
        var deadlineChanged = saga is IHasDeadline && (!_storedDeadlines.TryGetValue(saga.CorrelationId, out var known) || known != deadline);
        var serializer = store.Options.Serializer();
        try
        {
            await commits.Commit(async (session, token) =>
            {
                var stream = expectedVersion == 0
                    ? session.Events.StartStream(saga.CorrelationId, events)
                    // Marten's expected version is the one the stream has after this append.
                    : session.Events.Append(saga.CorrelationId, expectedVersion + events.Length, events);
                var chain = previous;
                foreach (var (stored, version) in stream.Events.Select((e, i) => (e, expectedVersion + i + 1)))
                {
                    chain = EventChain.Link(chain, saga.CorrelationId, version, GroupEventTypes.NameOf(stored.Data.GetType()), serializer.ToJson(stored.Data));
                    stored.SetHeader(EventChain.Header, chain);
                }
                link = chain;
                foreach (var projection in projections)
                    await projection.Project(session, saga, events, expectedVersion, token);
                // Every few hundred events the state is kept beside the stream, in this transaction (StreamSnapshot).
                if (StreamSnapshot.IsDue(expectedVersion, expectedVersion + events.Length) && saga.StoredSnapshot() is { } state)
                    session.Store(new StreamSnapshot { Id = saga.CorrelationId, Version = expectedVersion + events.Length, Chain = chain, State = state, TakenAt = DateTimeOffset.UtcNow });
                if (saga is IHasDeadline scheduled && deadlineChanged)
                    session.Store(new SagaDeadline { Id = saga.CorrelationId, Owner = scheduled.DeadlineOwner, DueAt = deadline });
            }, cancellation);
        }
        catch (Exception e)
        {
            // Whatever happened to this append (a lost race, a commit of unknown outcome), the stream is read next time.
            Forget(saga.CorrelationId);
            if (IsVersionConflict(e))
                throw new ConcurrencyException($"stream {saga.CorrelationId} moved past version {expectedVersion}", typeof(TSaga), saga.CorrelationId, e);
            throw;
        }
        if (saga is IHasDeadline)
            _storedDeadlines[saga.CorrelationId] = deadline;
        Remember(saga, expectedVersion + events.Length, link);
        foreach (var projection in projections)
            projection.Committed(saga, expectedVersion + events.Length);
        saga.ClearUncommittedEvents();
    }

    // Marten reports a lost race as one of these, depending on whether the stream was new.
    private static bool IsVersionConflict(Exception e) => e
        is Marten.Exceptions.ExistingStreamIdCollisionException
        or JasperFx.Events.ExistingStreamIdCollisionException
        or EventStreamUnexpectedMaxEventIdException;
}
