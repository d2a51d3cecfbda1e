using System.Reflection;
using ChargeLink.Orchestrator.Deciding;
using MassTransit;
using RabbitMQ.Client;

namespace ChargeLink.Orchestrator.Inbox;

/// <summary>
/// The saga's input, one queue per partition of the groups (<see cref="GroupPartitions"/>). Each queue has a single
/// active consumer: of all running orchestrators exactly one receives a partition's messages, in queue order, and when
/// it dies the broker hands the partition, with its unacknowledged messages back in their places, to the next one.
/// </summary>
public static class GroupPartitionEndpoints
{
    public static void Configure(IRabbitMqBusFactoryConfigurator rabbit, IBusRegistrationContext context)
    {
        for (var partition = 0; partition < GroupPartitions.Count; partition++)
        {
            var routingKey = GroupPartitions.RoutingKey(partition);
            rabbit.ReceiveEndpoint(GroupPartitions.QueueName(partition), endpoint =>
            {
                endpoint.SingleActiveConsumer = true;
                // Not bound to each message exchange (fanout: every partition would get every message), but through
                // one direct exchange that passes on only this partition's routing key.
                endpoint.ConfigureConsumeTopology = false;
                endpoint.Bind(GroupPartitions.Exchange, groups =>
                {
                    groups.ExchangeType = ExchangeType.Direct;
                    groups.RoutingKey = routingKey;
                    foreach (var type in GroupPartitions.MessageTypes)
                    {
                        var exchange = type.GetCustomAttribute<EntityNameAttribute>()?.EntityName
                            ?? throw new InvalidOperationException($"{type.Name} has no [EntityName]");
                        // Declared as MassTransit's publishers declare it: fanout, whatever the routing key says.
                        groups.Bind(exchange, message => message.ExchangeType = ExchangeType.Fanout);
                    }
                });
                endpoint.ConfigureSaga<StationGroupSaga>(context);
            });
        }
    }
}
