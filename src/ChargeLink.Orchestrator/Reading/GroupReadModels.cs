using System.Collections.Concurrent;
using ChargeLink.Domain.Audit;
using ChargeLink.EventLog;
using ChargeLink.Orchestrator.Deciding;
using Marten;

namespace ChargeLink.Orchestrator.Reading;

/// <summary>
/// Keeps each group's <see cref="GroupSummary"/> and each payment's <see cref="PaymentRecord"/> up to date with the
/// events appended, in the same transaction. Both serve reads (the read API); the payment records also route the
/// cloud's cancellations, which name only a payment (<c>PaymentCancellationRouter</c>). `chargelink audit replay`
/// rebuilds both from the events alone and reports any difference.
/// </summary>
public sealed class GroupReadModels : ISagaProjection<StationGroupSaga>
{
    public static void Configure(StoreOptions options)
    {
        options.Schema.For<GroupSummary>().Identity(g => g.GroupId).DocumentAlias(StoredNames.GroupSummaryAlias);
        options
            .Schema.For<PaymentRecord>()
            .Identity(p => p.PaymentId)
            .DocumentAlias(StoredNames.PaymentRecordAlias)
            .Index(p => p.StreamId)
            .Index(p => p.StartedAt!);
    }

    // What was last committed for each group, at which stream version: while the stream is still there, the next
    // append needs no read of its read models. Open payments only; settled ones are final and read if ever needed.
    private sealed record Cached(
        long StreamVersion,
        GroupSummary Summary,
        IReadOnlyDictionary<string, PaymentRecord> Open
    );

    private readonly ConcurrentDictionary<Guid, Cached> _committed = new();
    private readonly ConcurrentDictionary<Guid, Cached> _pending = new();

    public async Task Project(
        IDocumentSession session,
        StationGroupSaga saga,
        IReadOnlyList<object> events,
        long streamVersion,
        CancellationToken cancellation
    )
    {
        var groupEvents = events.Cast<IGroupEvent>().ToList();
        var cached =
            _committed.TryGetValue(saga.CorrelationId, out var hit) && hit.StreamVersion == streamVersion ? hit : null;
        var summary = cached?.Summary
            ?? await session.LoadAsync<GroupSummary>(saga.GroupId, cancellation)
            ?? GroupSummary.Empty(saga.GroupId, saga.CorrelationId);
        foreach (var e in groupEvents)
            summary = GroupSummaries.Evolve(summary, e);
        summary = GroupSummaries.WithState(summary, saga.State);
        session.Store(summary);

        var payments = new Dictionary<string, PaymentRecord>(
            cached?.Open ?? new Dictionary<string, PaymentRecord>(),
            StringComparer.Ordinal
        );
        var authorizedNow = groupEvents
            .OfType<PaymentAuthorizationReceived>()
            .Select(p => p.PaymentId)
            .ToHashSet(StringComparer.Ordinal);
        var unknown = groupEvents
            .Select(e => e.PaymentId)
            .OfType<string>()
            .Where(id => !payments.ContainsKey(id) && (cached is null || !authorizedNow.Contains(id)))
            .Distinct()
            .ToArray();
        if (unknown.Length > 0)
        {
            foreach (var stored in await session.LoadManyAsync<PaymentRecord>(cancellation, unknown))
                payments[stored.PaymentId] = stored;
        }
        // Each touched payment's record as it was before these events: one that comes out equal is not written again
        // (a settled record, say, or an event the record does not show).
        var before = new Dictionary<string, PaymentRecord?>(StringComparer.Ordinal);
        foreach (var e in groupEvents)
        {
            if (e.PaymentId is not { } paymentId)
                continue;
            var current = payments.GetValueOrDefault(paymentId);
            if (PaymentRecords.Evolve(current, saga.CorrelationId, saga.GroupId, e) is { } evolved)
            {
                before.TryAdd(paymentId, current);
                payments[paymentId] = evolved;
            }
        }
        foreach (var (paymentId, was) in before)
        {
            if (payments[paymentId] != was)
                session.Store(payments[paymentId]);
        }
        _pending[saga.CorrelationId] = new Cached(
            streamVersion + events.Count,
            summary,
            payments.Where(p => !PaymentRecords.IsSettled(p.Value)).ToDictionary(StringComparer.Ordinal)
        );
    }

    // Each group's summary as last committed; its open payments are read when an event names them, as on a cache miss.
    public async Task Preload(
        IQuerySession session,
        IReadOnlyCollection<Guid> streamIds,
        CancellationToken cancellation
    )
    {
        foreach (
            var summary in await session
                .Query<GroupSummary>()
                .Where(g => streamIds.Contains(g.StreamId))
                .ToListAsync(cancellation)
        )
            _committed.TryAdd(
                summary.StreamId,
                new Cached(summary.Version, summary, new Dictionary<string, PaymentRecord>(StringComparer.Ordinal))
            );
    }

    public void Committed(StationGroupSaga saga, long streamVersion)
    {
        if (_pending.TryRemove(saga.CorrelationId, out var done) && done.StreamVersion == streamVersion)
            _committed[saga.CorrelationId] = done;
    }
}
