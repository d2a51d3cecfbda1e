using RabbitMQ.Client;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// One RabbitMQ channel of a service's own, beside MassTransit's, for what MassTransit does not do (binding a queue per
/// station, publishing the payment cloud's plain JSON): opened on first use, one operation at a time, and after any
/// failure opened afresh on the next, since the broker may have gone away. With confirms, a publish returns only once
/// the broker has the message.
/// </summary>
public sealed class BrokerChannel(
    RabbitMqAddress address,
    string clientName,
    bool confirms,
    Func<IChannel, CancellationToken, Task>? prepare = null
) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    /// <summary>Runs <paramref name="action"/> on the channel; if it throws, the connection is dropped and the
    /// exception passes on.</summary>
    public async Task Use(Func<IChannel, Task> action, CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation);
        try
        {
            await action(await Channel(cancellation));
        }
        catch
        {
            await Drop();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IChannel> Channel(CancellationToken cancellation)
    {
        if (_channel is { IsOpen: true })
            return _channel;
        await Drop();
        _connection = await address.ConnectionFactory(clientName).CreateConnectionAsync(cancellation);
        _channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(
                publisherConfirmationsEnabled: confirms,
                publisherConfirmationTrackingEnabled: confirms
            ),
            cancellation
        );
        if (prepare is not null)
            await prepare(_channel, cancellation);
        return _channel;
    }

    private async Task Drop()
    {
        if (_channel is not null)
            await _channel.DisposeAsync();
        if (_connection is not null)
            await _connection.DisposeAsync();
        _channel = null;
        _connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        await Drop();
        _gate.Dispose();
    }
}
