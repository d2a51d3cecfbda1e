namespace ChargeLink.Orchestrator.Storing;

/// <summary>Loads and saves event-sourced sagas; the stream id is the saga's CorrelationId.</summary>
public interface ISagaEventStore<TSaga>
    where TSaga : class, IEventSourcedSaga
{
    /// <summary>The saga folded from its stream with the stream's version, or (null, 0) when there is no
    /// stream.</summary>
    Task<(TSaga? Saga, long Version)> Load(Guid correlationId, CancellationToken cancellation);

    /// <summary>
    /// Appends the saga's uncommitted events if the stream is still at <paramref name="expectedVersion"/>
    /// (0: it must not exist yet); otherwise throws MassTransit's ConcurrencyException, which retry handles.
    /// </summary>
    Task Save(TSaga saga, long expectedVersion, CancellationToken cancellation);

    /// <summary>
    /// Folds these sagas ahead of their messages (at start), to be checked against their streams when first loaded; a
    /// store that keeps nothing in memory does nothing.
    /// </summary>
    Task Preload(IReadOnlyCollection<Guid> correlationIds, CancellationToken cancellation);
}
