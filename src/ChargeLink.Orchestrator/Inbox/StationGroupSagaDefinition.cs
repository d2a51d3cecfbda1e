using ChargeLink.Orchestrator.Deciding;
using MassTransit;
using Npgsql;

namespace ChargeLink.Orchestrator.Inbox;

/// <summary>
/// How each partition endpoint (<see cref="GroupPartitionEndpoints"/>) runs the saga: one group at a time in order,
/// retries for lost append races and database hiccups, then the in-memory outbox.
/// </summary>
public sealed class StationGroupSagaDefinition : SagaDefinition<StationGroupSaga>
{
    protected override void ConfigureSaga(
        IReceiveEndpointConfigurator endpoint,
        ISagaConfigurator<StationGroupSaga> saga,
        IRegistrationContext context
    )
    {
        // A partition's messages reach one instance in queue order and are handled one at a time, retries included, so
        // a group's facts reach the decider in the order the broker received them. (MassTransit's partitioner only
        // keeps one key's messages from running at once; messages dispatched concurrently may reach it in either
        // order.)
        endpoint.ConcurrentMessageLimit = 1;
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
