using MassTransit;
using Npgsql;

namespace ChargeLink.Orchestrator.Sagas;

/// <summary>The saga's endpoint: retries for lost append races and database hiccups, then the in-memory outbox.</summary>
public sealed class StationGroupSagaDefinition : SagaDefinition<StationGroupSaga>
{
    public const string QueueName = "chargelink.orchestrator.station-groups";

    public StationGroupSagaDefinition() => EndpointName = QueueName;

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpoint, ISagaConfigurator<StationGroupSaga> saga, IRegistrationContext context)
    {
        // Within one instance, one group's messages are handled one at a time and in order of delivery (retries
        // included); groups run in parallel. Across instances the decider's own ordering guards apply.
        endpoint.UsePartitioner(32, context => context.CorrelationId ?? Guid.Empty);
        // Retry outside the outbox: each attempt reloads the stream and publishes only if its append wins.
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<ConcurrencyException>();
            retry.Handle<NpgsqlException>();
            retry.Intervals(0, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000);
        });
        endpoint.UseInMemoryOutbox(context);
    }
}
