using ChargeLink.Contracts.PaymentCloud;
using RabbitMQ.Client;

namespace ChargeLink.Simulators;

/// <summary>The payment cloud as the contract describes it: signed plain-JSON messages on its two queues.</summary>
public sealed class PaymentCloudSimulator(string rabbitMq, string secret) : IAsyncDisposable
{
    private readonly PaymentSignature _signature = new(secret);
    private IConnection? _connection;
    private IChannel? _channel;

    public static JsonObject Authorization(
        string paymentId,
        string terminalId,
        long amountMinor = 5000,
        DateTimeOffset? at = null,
        string currency = "EUR"
    ) =>
        new()
        {
            ["type"] = "payment.authorized",
            ["paymentId"] = paymentId,
            ["terminalId"] = terminalId,
            ["amount"] = new JsonObject { ["value"] = amountMinor, ["currency"] = currency },
            ["authorizedAt"] = (at ?? DateTimeOffset.UtcNow)
                .ToUniversalTime()
                .ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["maskedPan"] = "************4242",
        };

    public static JsonObject Cancellation(string paymentId) =>
        new() { ["type"] = "payment.cancelled", ["paymentId"] = paymentId };

    /// <summary>Publishes the exact bytes given, signed unless <paramref name="signatureHeader"/> overrides it (null:
    /// no header).</summary>
    public async Task PublishAuthorization(
        byte[] body,
        string? messageId = null,
        bool sign = true,
        string? signatureHeader = null
    )
    {
        var channel = await Channel();
        var headers = new Dictionary<string, object?>();
        var header = sign ? _signature.Sign(body) : signatureHeader;
        if (header is not null)
            headers[PaymentCloudQueues.SignatureHeader] = header;
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            MessageId = messageId,
            Persistent = true,
            Headers = headers,
        };
        await channel.BasicPublishAsync(string.Empty, PaymentCloudQueues.Authorizations, true, properties, body);
    }

    /// <summary>Publishes an authorization or a cancellation, signed, with message_id = paymentId.</summary>
    public Task PublishAuthorization(JsonObject message) =>
        PublishAuthorization(Encoding.UTF8.GetBytes(message.ToJsonString()), message["paymentId"]?.GetValue<string>());

    /// <summary>Takes the next message from a queue (or null if none), with its body and headers.</summary>
    public async Task<BasicGetResult?> Take(string queue)
    {
        var channel = await Channel();
        return await channel.BasicGetAsync(queue, autoAck: true);
    }

    public async Task Purge(string queue)
    {
        var channel = await Channel();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueuePurgeAsync(queue);
    }

    public bool HasValidSignature(BasicGetResult message) =>
        HasValidSignature(_signature, message.BasicProperties, message.Body.Span);

    /// <summary>Whether a message's body matches its signature header (AMQP delivers header strings as
    /// bytes).</summary>
    public static bool HasValidSignature(
        PaymentSignature signature,
        IReadOnlyBasicProperties properties,
        ReadOnlySpan<byte> body
    ) =>
        properties.Headers?.TryGetValue(PaymentCloudQueues.SignatureHeader, out var header) == true
        && signature.Verify(body, header is byte[] bytes ? Encoding.UTF8.GetString(bytes) : header?.ToString());

    private async Task<IChannel> Channel()
    {
        if (_channel is { IsOpen: true })
            return _channel;
        _connection = await new ConnectionFactory { Uri = new Uri(rabbitMq) }.CreateConnectionAsync();
        _channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)
        );
        return _channel;
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
            await _channel.DisposeAsync();
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}
