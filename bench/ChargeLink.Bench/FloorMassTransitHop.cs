using MassTransit;
using RabbitMQ.Client;

namespace ChargeLink.Bench;

/// <summary>A station fact's shape, for <see cref="FloorMassTransitHop"/>.</summary>
[EntityName("chargelink.bench.floor-fact")]
public sealed record FloorFact(
    string GroupId,
    string ChargePointId,
    int ConnectorId,
    string Status,
    string ErrorCode,
    DateTimeOffset At
);

/// <summary>
/// The broker hop of <see cref="FloorRun"/> as the services make it: published by a MassTransit bus (persistent, its
/// confirm awaited) to the message's exchange, consumed by a MassTransit consumer from a durable queue bound to it, and
/// acknowledged after the consumer returns. Its CPU beside the bare hop's is what MassTransit's pipelines add to each.
/// </summary>
public sealed class FloorMassTransitHop
{
    private int _received;

    private sealed class Counter(FloorMassTransitHop hop) : IConsumer<FloorFact>
    {
        public Task Consume(ConsumeContext<FloorFact> context)
        {
            Interlocked.Increment(ref hop._received);
            return Task.CompletedTask;
        }
    }

    public int Received => Volatile.Read(ref _received);

    public async Task<T> With<T>(string url, Func<IBus, Task<T>> measure)
    {
        var address = new Uri(url);
        var queue = $"bench.floor.masstransit.{Environment.ProcessId}";
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(address);
            rabbit.ReceiveEndpoint(queue, endpoint =>
            {
                endpoint.PrefetchCount = 16;
                endpoint.Consumer(() => new Counter(this));
            });
        });
        await bus.StartAsync();
        try
        {
            return await measure(bus);
        }
        finally
        {
            await bus.StopAsync();
            await using var connection = await new ConnectionFactory { Uri = address }.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue);
            await channel.ExchangeDeleteAsync(queue);
            await channel.ExchangeDeleteAsync("chargelink.bench.floor-fact");
        }
    }
}
