using MassTransit;
using MassTransit.Configuration;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Saga;

namespace ChargeLink.Orchestrator.Storing;

/// <summary>
/// MassTransit's saga repository seam for event-sourced sagas (MassTransit.Marten is not available to us); the storing
/// itself is <see cref="ISagaEventStore{TSaga}"/>'s. MassTransit resolves the factory per message and drives the
/// context: Load (or Add for a new saga), the saga's Consume, then Update (or Save). The in-memory outbox holds what
/// Consume published until that save has succeeded, so a lost race publishes nothing and is retried from a fresh load.
/// Which MassTransit contract each member fulfils:
/// <list type="bullet">
/// <item><c>ISagaRepositoryContextFactory.Send</c>: one <see cref="SagaRepositoryContext{TSaga,TMessage}"/> per message
/// (the nested <c>Context</c>), which remembers the stream version each saga was loaded at.</item>
/// <item><c>SendQuery</c>: correlation by query; refused, a group is found by its id only.</item>
/// <item><c>ILoadSagaRepositoryContextFactory.Execute</c>: loads outside a message (MassTransit's saga tooling).</item>
/// <item><c>SagaRepositoryContext.Load</c> / <c>Add</c> / <c>Insert</c>: an existing stream's fold / a new saga / a
/// pre-inserted one; <c>Update</c> / <c>Save</c>: append with the expected version (0 for a new stream);
/// <c>Delete</c>: a finished saga keeps its stream, so it appends like Update; <c>Discard</c> / <c>Undo</c>: nothing
/// was written before the save, so there is nothing to undo.</item>
/// </list>
/// </summary>
public sealed class EventSourcedSagaRepositoryContextFactory<TSaga>(
    ISagaEventStore<TSaga> store,
    ISagaConsumeContextFactory<ISagaEventStore<TSaga>, TSaga> factory
) : ISagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, IEventSourcedSaga
{
    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class => next.Send(new Context<T>(store, context, factory));

    public Task SendQuery<T>(
        ConsumeContext<T> context,
        ISagaQuery<TSaga> query,
        IPipe<SagaRepositoryQueryContext<TSaga, T>> next
    )
        where T : class =>
        throw new NotSupportedException(
            $"{typeof(TSaga).Name} is correlated by id only; queries over event streams are not supported"
        );

    public async Task<T> Execute<T>(
        Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod,
        CancellationToken cancellationToken = default
    )
        where T : class => await asyncMethod(new LoadContext(store, cancellationToken));

    public void Probe(ProbeContext context) => context.Add("persistence", "event-store");

    private sealed class Context<TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
        where TMessage : class
    {
        private readonly ISagaEventStore<TSaga> _store;
        private readonly ConsumeContext<TMessage> _consumeContext;
        private readonly ISagaConsumeContextFactory<ISagaEventStore<TSaga>, TSaga> _factory;
        private readonly Dictionary<Guid, long> _loadedVersions = [];

        public Context(
            ISagaEventStore<TSaga> store,
            ConsumeContext<TMessage> consumeContext,
            ISagaConsumeContextFactory<ISagaEventStore<TSaga>, TSaga> factory
        )
            : base(consumeContext)
        {
            _store = store;
            _consumeContext = consumeContext;
            _factory = factory;
        }

        public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(
            ConsumeContext<T> context,
            TSaga instance,
            SagaConsumeContextMode mode
        )
            where T : class => _factory.CreateSagaConsumeContext(_store, context, instance, mode);

        public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance)
        {
            _loadedVersions[instance.CorrelationId] = 0;
            return _factory.CreateSagaConsumeContext(_store, _consumeContext, instance, SagaConsumeContextMode.Add);
        }

        // Consumer sagas never pre-insert; were one to, an existing stream must read as "not inserted".
        public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
        {
            try
            {
                var appended = instance.UncommittedEvents.Count;
                await _store.Save(instance, 0, CancellationToken);
                _loadedVersions[instance.CorrelationId] = appended;
                return await _factory.CreateSagaConsumeContext(
                    _store,
                    _consumeContext,
                    instance,
                    SagaConsumeContextMode.Insert
                );
            }
            catch (ConcurrencyException)
            {
                return null!;
            }
        }

        public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
        {
            var (saga, version) = await _store.Load(correlationId, CancellationToken);
            if (saga is null)
                return null!;
            _loadedVersions[correlationId] = version;
            return await _factory.CreateSagaConsumeContext(_store, _consumeContext, saga, SagaConsumeContextMode.Load);
        }

        public Task Save(SagaConsumeContext<TSaga> context) => _store.Save(context.Saga, 0, CancellationToken);

        public Task Update(SagaConsumeContext<TSaga> context) =>
            _store.Save(context.Saga, LoadedVersion(context.Saga), CancellationToken);

        // A stream is history: a completed saga keeps it, and says so with its own last event.
        public Task Delete(SagaConsumeContext<TSaga> context) => Update(context);

        public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

        public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

        private long LoadedVersion(TSaga saga) =>
            _loadedVersions.TryGetValue(saga.CorrelationId, out var version)
                ? version
                : throw new InvalidOperationException(
                    $"saga {saga.CorrelationId} was not loaded through this repository context"
                );
    }

    private sealed class LoadContext(ISagaEventStore<TSaga> store, CancellationToken cancellation)
        : BasePipeContext(cancellation),
            LoadSagaRepositoryContext<TSaga>
    {
        public async Task<TSaga> Load(Guid correlationId) => (await store.Load(correlationId, CancellationToken)).Saga!;
    }
}

public static class EventSourcedSagaRepositoryExtensions
{
    /// <summary><c>bus.AddSaga&lt;T&gt;().EventSourcedRepository()</c>; register <see cref="ISagaEventStore{TSaga}"/>
    /// beside it.</summary>
    public static ISagaRegistrationConfigurator<TSaga> EventSourcedRepository<TSaga>(
        this ISagaRegistrationConfigurator<TSaga> configurator
    )
        where TSaga : class, IEventSourcedSaga
    {
        configurator.Repository(services =>
        {
            services.RegisterLoadSagaRepository<TSaga, EventSourcedSagaRepositoryContextFactory<TSaga>>();
            services.RegisterSagaRepository<
                TSaga,
                ISagaEventStore<TSaga>,
                SagaConsumeContextFactory<ISagaEventStore<TSaga>, TSaga>,
                EventSourcedSagaRepositoryContextFactory<TSaga>
            >();
        });
        return configurator;
    }
}
