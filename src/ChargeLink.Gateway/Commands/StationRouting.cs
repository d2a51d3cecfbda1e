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
    // A bind is a round trip the broker answers only once the binding is stored, one at a time per channel: when every
    // station reconnects at once (a gateway restart), binds on a few channels side by side go faster than on one
    // (make bench-connections, 10,000 stations reconnecting: one channel 37.5-49.6 s, four 28.4 s, eight 27.6 s). A
    // station's binds and unbinds always take the same channel, so they reach the broker in the order they were made.
    private const int Channels = 4;

    private readonly BrokerChannel[] _channels =
    [
        .. Enumerable
            .Range(0, Channels)
            .Select(i => new BrokerChannel(
                settings.Broker,
                $"chargelink-gateway-routing-{i}",
                confirms: false,
                // Declared as MassTransit declares it on the sending side (direct, durable, with the alternate
                // exchange).
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
            )),
    ];

    /// <summary>This instance's command queue (unique per process).</summary>
    public string InstanceQueue { get; } =
        $"chargelink.gateway.{Environment.MachineName.ToLowerInvariant()}.{Guid.NewGuid():N}";

    public Task Bind(string chargePointId, CancellationToken cancellation) =>
        Retry(
            chargePointId,
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
            chargePointId,
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
    private async Task Retry(
        string chargePointId,
        Func<IChannel, Task> action,
        string what,
        CancellationToken cancellation
    )
    {
        var channel = _channels[(uint)StringComparer.Ordinal.GetHashCode(chargePointId) % Channels];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await channel.Use(action, cancellation);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 20)
            {
                logger.LogDebug("Station routing: {What} failed ({Reason}); retrying", what, e.Message);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellation);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
            await channel.DisposeAsync();
    }
}
