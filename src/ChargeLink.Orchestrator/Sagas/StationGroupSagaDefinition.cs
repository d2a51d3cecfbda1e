using ChargeLink.Contracts;
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
        // included); groups run in parallel. Across instances the decider's own ordering guards apply. The key comes
        // from the message itself: publishers do not put the group in the envelope's CorrelationId.
        var partitioner = endpoint.CreatePartitioner(32);
        ByGroup<ConnectorStatusChanged>(endpoint, partitioner);
        ByGroup<PaymentAuthorized>(endpoint, partitioner);
        ByGroup<PaymentCancellationRouted>(endpoint, partitioner);
        ByGroup<RemoteStartCompleted>(endpoint, partitioner);
        ByGroup<TransactionStarted>(endpoint, partitioner);
        ByGroup<TransactionStopped>(endpoint, partitioner);
        ByGroup<MeterValuesReported>(endpoint, partitioner);
        ByGroup<StationBooted>(endpoint, partitioner);
        ByGroup<GroupDeadlineDue>(endpoint, partitioner);
        // Retry outside the outbox: each attempt reloads the stream and publishes only if its append wins.
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<ConcurrencyException>();
            retry.Handle<NpgsqlException>();
            retry.Intervals(0, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000);
        });
        endpoint.UseInMemoryOutbox(context);
    }

    private static void ByGroup<T>(IConsumePipeConfigurator endpoint, IPartitioner partitioner)
        where T : class, IGroupMessage =>
        endpoint.UsePartitioner<T>(partitioner, context => ((CorrelatedBy<Guid>)context.Message).CorrelationId);
}
