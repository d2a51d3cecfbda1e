using System.Collections.Concurrent;
using ChargeLink.EventLog;
using JasperFx.Events;
using Marten;
using MassTransit;

namespace ChargeLink.Orchestrator.Storing;

/// <summary>
/// The saga's stream in Marten: fold on load, append with the expected version on save. Every appended event gets its
/// link of the stream's hash chain (<see cref="EventChain"/>) in its headers, in the same insert. The fold of each
/// stream this instance appended to is kept in memory with its version, and a load trusts it without reading the
/// stream: each group's partition has one consumer at a time (<c>GroupPartitionEndpoints</c>), so what this instance
/// appended last is normally the tail. Should anyone else have appended meanwhile (a partition that moved and came
/// back), the append's expected version no longer matches: the save fails, the fold is forgotten, and the retry reads
/// the stream. Known gap: a message that yields no events on such a stale fold appends nothing, so nothing catches it.
/// Appends of different groups that arrive together are committed in one transaction (<see cref="GroupCommit"/>); each
/// returns once its own are durable. A group this instance does not hold yet is loaded from its last <see
/// cref="StreamSnapshot"/> and the events after it, so a cold start reads at most <see cref="StreamSnapshot.Every"/>
/// events of a group, however old the group. At start, <see cref="Preload"/> does that for every group at once (a few
/// queries, not two per group); such a fold was read before this instance owned its group, so it is trusted only once
/// the stream's version, read when the group's first message arrives, says nobody appended since (one small query
/// instead of the snapshot and the tail).
/// </summary>
public sealed class MartenSagaEventStore<TSaga>(
    IDocumentStore store,
    GroupCommit commits,
    IEnumerable<ISagaProjection<TSaga>> projections,
    IEnumerable<ICommitObserver<TSaga>>? observers = null
) : ISagaEventStore<TSaga>
    where TSaga : class, IEventSourcedSaga, new()
{
    // Verified: the fold is this instance's own (loaded while it held the group, or appended by it), not a preload's.
    private readonly ConcurrentDictionary<Guid, (long Version, object State, string Chain, bool Verified)> _snapshots =
        new();

    // Streams fetched in one round trip by a preload: a batch of this many keeps each reply a few MB at most.
    private const int PreloadBatch = 100;

    // The deadline each stream's document holds as far as this instance knows: it is written only when it changes.
    private readonly ConcurrentDictionary<Guid, DateTimeOffset?> _storedDeadlines = new();

    /// <summary>How many events this store has read to fold streams it did not hold (cold starts), since it
    /// began.</summary>
    public long EventsFoldedOnLoad => Interlocked.Read(ref _eventsFoldedOnLoad);

    private long _eventsFoldedOnLoad;

    public async Task<(TSaga? Saga, long Version)> Load(Guid correlationId, CancellationToken cancellation)
    {
        var saga = new TSaga { CorrelationId = correlationId };
        if (
            _snapshots.TryGetValue(correlationId, out var snapshot)
            && (snapshot.Verified || await StillAt(correlationId, snapshot, cancellation))
        )
        {
            saga.Restore(snapshot.State);
            return (saga, snapshot.Version);
        }
        // A cold start: the stream's last snapshot, if this code can read it, and the events after it.
        await using var session = store.QuerySession();
        var stored = await session.LoadAsync<StreamSnapshot>(correlationId, cancellation);
        var from = stored is not null && saga.RestoreStored(stored.State) ? stored : null;
        var events = await session.Events.FetchStreamAsync(
            correlationId,
            fromVersion: (from?.Version ?? 0) + 1,
            token: cancellation
        );
        if (Fold(saga, from, events) is not { } folded)
            return (null, 0);
        Remember(saga, folded.Version, folded.Chain, verified: true);
        return (saga, folded.Version);
    }

    /// <summary>
    /// Folds every one of <paramref name="correlationIds"/> that this instance does not hold yet, from its snapshot and
    /// the events after it, reading them together: the snapshots in one query, the tails in batched queries. Each fold
    /// is checked against its stream's version when its group's first message arrives (<see cref="Load"/>).
    /// </summary>
    public async Task Preload(IReadOnlyCollection<Guid> correlationIds, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var snapshots = (await session.LoadManyAsync<StreamSnapshot>(cancellation, correlationIds)).ToDictionary(s =>
            s.Id
        );
        foreach (var chunk in correlationIds.Where(id => !_snapshots.ContainsKey(id)).Chunk(PreloadBatch))
        {
            var batch = session.CreateBatchQuery();
            var tails = chunk
                .Select(id =>
                {
                    var saga = new TSaga { CorrelationId = id };
                    var from =
                        snapshots.TryGetValue(id, out var stored) && saga.RestoreStored(stored.State) ? stored : null;
                    return (
                        Saga: saga,
                        From: from,
                        Events: batch.Events.FetchStream(id, 0, null, (from?.Version ?? 0) + 1)
                    );
                })
                .ToList();
            await batch.Execute(cancellation);
            // The deadlines as stored, read after the events: one changed since is then a stream that moved too, and
            // the check on first use drops both. A group's first append writes its deadline only if it changes, as
            // later ones do.
            var deadlines = (await session.LoadManyAsync<SagaDeadline>(cancellation, chunk)).ToDictionary(
                d => d.Id,
                d => d.DueAt
            );
            foreach (var (saga, from, events) in tails)
            {
                if (
                    Fold(saga, from, await events) is { } folded
                    && _snapshots.TryAdd(saga.CorrelationId, (folded.Version, saga.Snapshot(), folded.Chain, false))
                    && deadlines.TryGetValue(saga.CorrelationId, out var deadline)
                )
                    _storedDeadlines.TryAdd(saga.CorrelationId, deadline);
            }
        }
    }

    // The snapshot's state (already restored into the saga) and the events after it; null when the stream does not
    // exist.
    private (long Version, string Chain)? Fold(TSaga saga, StreamSnapshot? from, IReadOnlyList<IEvent> events)
    {
        Interlocked.Add(ref _eventsFoldedOnLoad, events.Count);
        OrchestratorMetrics.EventsFoldedOnLoad.Inc(events.Count);
        if (events.Count == 0 && from is null)
            return null;
        saga.Replay(events.Select(e => e.Data));
        return events.Count > 0 ? (events[^1].Version, LinkOf(events[^1])) : (from!.Version, from.Chain);
    }

    // Whether a preloaded fold is still the stream's tail; it is then this instance's own, else it is dropped.
    private async Task<bool> StillAt(
        Guid correlationId,
        (long Version, object State, string Chain, bool Verified) preloaded,
        CancellationToken cancellation
    )
    {
        await using var session = store.QuerySession();
        var state = await session.Events.FetchStreamStateAsync(correlationId, cancellation);
        if (state?.Version == preloaded.Version)
        {
            _snapshots.TryUpdate(correlationId, preloaded with { Verified = true }, preloaded);
            OrchestratorMetrics.PreloadedFolds.WithLabels("used").Inc();
            return true;
        }
        Forget(correlationId);
        OrchestratorMetrics.PreloadedFolds.WithLabels("stale").Inc();
        return false;
    }

    private void Forget(Guid correlationId)
    {
        _snapshots.TryRemove(correlationId, out _);
        _storedDeadlines.TryRemove(correlationId, out _);
    }

    private void Remember(TSaga saga, long version, string chain, bool verified) =>
        _snapshots.AddOrUpdate(saga.CorrelationId, (version, saga.Snapshot(), chain, verified), (_, old) =>
            old.Version >= version && old.Verified ? old : (version, saga.Snapshot(), chain, verified)
        );

    // An event stored before the chain existed has no link; the chain then starts again from the genesis value.
    private static string LinkOf(IEvent stored) =>
        stored.GetHeader(EventChain.Header)?.ToString() ?? EventChain.Genesis;

    private async Task<string> LinkAt(Guid streamId, long version, CancellationToken cancellation)
    {
        if (version == 0)
            return EventChain.Genesis;
        if (_snapshots.TryGetValue(streamId, out var snapshot) && snapshot.Version == version)
            return snapshot.Chain;
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(
            streamId,
            version: version,
            fromVersion: version,
            token: cancellation
        );
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
        var deadlineChanged =
            saga is IHasDeadline
            && (!_storedDeadlines.TryGetValue(saga.CorrelationId, out var known) || known != deadline);
        var serializer = store.Options.Serializer();
        try
        {
            await commits.Commit(
                async (session, token) =>
                {
                    var stream =
                        expectedVersion == 0
                            ? session.Events.StartStream(saga.CorrelationId, events)
                            // Marten's expected version is the one the stream has after this append.
                            : session.Events.Append(saga.CorrelationId, expectedVersion + events.Length, events);
                    var chain = previous;
                    foreach (var (stored, version) in stream.Events.Select((e, i) => (e, expectedVersion + i + 1)))
                    {
                        chain = EventChain.Link(
                            chain,
                            saga.CorrelationId,
                            version,
                            GroupEventTypes.NameOf(stored.Data.GetType()),
                            serializer.ToJson(stored.Data)
                        );
                        stored.SetHeader(EventChain.Header, chain);
                    }
                    link = chain;
                    foreach (var projection in projections)
                        await projection.Project(session, saga, events, expectedVersion, token);
                    // Every few hundred events the state is kept beside the stream, in this transaction
                    // (StreamSnapshot).
                    if (
                        StreamSnapshot.IsDue(expectedVersion, expectedVersion + events.Length)
                        && saga.StoredSnapshot() is { } state
                    )
                        session.Store(
                            new StreamSnapshot
                            {
                                Id = saga.CorrelationId,
                                Version = expectedVersion + events.Length,
                                Chain = chain,
                                State = state,
                                TakenAt = DateTimeOffset.UtcNow,
                            }
                        );
                    if (saga is IHasDeadline scheduled && deadlineChanged)
                        session.Store(
                            new SagaDeadline
                            {
                                Id = saga.CorrelationId,
                                Owner = scheduled.DeadlineOwner,
                                DueAt = deadline,
                            }
                        );
                },
                cancellation
            );
        }
        catch (Exception e)
        {
            // Whatever happened to this append (a lost race, a commit of unknown outcome), the stream is read next
            // time.
            Forget(saga.CorrelationId);
            if (IsVersionConflict(e))
                throw new ConcurrencyException(
                    $"stream {saga.CorrelationId} moved past version {expectedVersion}",
                    typeof(TSaga),
                    saga.CorrelationId,
                    e
                );
            throw;
        }
        if (saga is IHasDeadline)
            _storedDeadlines[saga.CorrelationId] = deadline;
        Remember(saga, expectedVersion + events.Length, link, verified: true);
        foreach (var projection in projections)
            projection.Committed(saga, expectedVersion + events.Length);
        foreach (var observer in observers ?? [])
            observer.Committed(saga, expectedVersion + events.Length);
        saga.ClearUncommittedEvents();
    }

    // Marten reports a lost race as one of these, depending on whether the stream was new.
    private static bool IsVersionConflict(Exception e) =>
        e
            is Marten.Exceptions.ExistingStreamIdCollisionException
                or JasperFx.Events.ExistingStreamIdCollisionException
                or EventStreamUnexpectedMaxEventIdException;
}
