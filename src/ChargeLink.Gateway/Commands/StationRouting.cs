using RabbitMQ.Client;

namespace ChargeLink.Gateway.Commands;

/// <summary>
/// Binds this gateway instance's own queue to the routing key of each station it holds, and unbinds it when the
/// station leaves, so a command for station X reaches the one instance with X's socket and no other. The queue expires
/// (x-expires, set where <c>Extensions</c> declares it) a minute after its instance stopped consuming: when an instance
/// dies, its queue and bindings go with it, and commands for its stations fall through to the unroutable queue
/// ("Offline") until they reconnect somewhere.
/// </summary>
public sealed class StationRouting(ChargeLinkSettings settings, ILogger<StationRouting> logger) : IAsyncDisposable
{
    // Declared as MassTransit declares it on the sending side (direct, durable, with the alternate exchange).
    private readonly BrokerChannel _channel = new(
        settings.Broker,
        "chargelink-gateway-routing",
        confirms: false,
        (channel, cancellation) =>
            channel.ExchangeDeclareAsync(
                StationCommandExchange.Exchange,
                ExchangeType.Direct,
                durable: true,
                autoDelete: false,
                arguments: new Dictionary<string, object?>
                {
                    ["alternate-exchange"] = StationCommandExchange.Unroutable,
                },
                cancellationToken: cancellation
            )
    );

    /// <summary>This instance's command queue (unique per process).</summary>
    public string InstanceQueue { get; } =
        $"chargelink.gateway.{Environment.MachineName.ToLowerInvariant()}.{Guid.NewGuid():N}";

    public Task Bind(string chargePointId, CancellationToken cancellation) =>
        Retry(
            channel =>
                channel.QueueBindAsync(
                    InstanceQueue,
                    StationCommandExchange.Exchange,
                    chargePointId,
                    cancellationToken: cancellation
                ),
            $"bind {chargePointId}",
            cancellation
        );

    public Task Unbind(string chargePointId, CancellationToken cancellation) =>
        Retry(
            channel =>
                channel.QueueUnbindAsync(
                    InstanceQueue,
                    StationCommandExchange.Exchange,
                    chargePointId,
                    cancellationToken: cancellation
                ),
            $"unbind {chargePointId}",
            cancellation
        );

    // The queue is declared by the bus as it starts; a station that connects in that instant waits a moment.
    private async Task Retry(Func<IChannel, Task> action, string what, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _channel.Use(action, cancellation);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 20)
            {
                logger.LogDebug("Station routing: {What} failed ({Reason}); retrying", what, e.Message);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellation);
        }
    }

    public ValueTask DisposeAsync() => _channel.DisposeAsync();
}
