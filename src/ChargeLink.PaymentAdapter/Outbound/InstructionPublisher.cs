using System.Text;
using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.ServiceDefaults;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RabbitMQ.Client;

namespace ChargeLink.PaymentAdapter.Outbound;

/// <summary>
/// Writes signed instructions to payment-cloud.instructions as plain JSON, with publisher confirms:
/// a publish returns only once the broker has the message, and throws otherwise (the caller then does not
/// acknowledge what caused it, so the instruction is produced again later rather than lost).
/// </summary>
public sealed class InstructionPublisher(ChargeLinkSettings settings, PaymentSignature signature, ILogger<InstructionPublisher> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    public static byte[] Serialize(PaymentInstruction instruction)
    {
        var json = instruction switch
        {
            CaptureInstruction c => new JObject
            {
                ["type"] = c.Type,
                ["paymentId"] = c.PaymentId,
                ["amount"] = new JObject { ["value"] = c.AmountMinor, ["currency"] = c.Currency },
                ["energyWh"] = c.EnergyWh,
                ["sessionId"] = c.SessionId,
            },
            VoidInstruction v => new JObject { ["type"] = v.Type, ["paymentId"] = v.PaymentId, ["reason"] = v.Reason },
            _ => throw new ArgumentOutOfRangeException(nameof(instruction), instruction.GetType().Name, "not an instruction the contract knows"),
        };
        return Encoding.UTF8.GetBytes(json.ToString(Formatting.None));
    }

    public async Task Publish(PaymentInstruction instruction, CancellationToken cancellation)
    {
        var body = Serialize(instruction);
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            MessageId = instruction.MessageId,
            Persistent = true,
            Headers = new Dictionary<string, object?> { [PaymentCloudQueues.SignatureHeader] = signature.Sign(body) },
        };
        await _gate.WaitAsync(cancellation);
        try
        {
            var channel = await Channel(cancellation);
            await channel.BasicPublishAsync(string.Empty, PaymentCloudQueues.Instructions, mandatory: true, properties, body, cancellation);
        }
        catch
        {
            // Start over with a fresh connection next time; the broker may have gone away.
            await DropConnection();
            throw;
        }
        finally
        {
            _gate.Release();
        }
        logger.LogInformation("Instruction {InstructionType} for payment {PaymentId} sent to the payment cloud", instruction.Type, instruction.PaymentId);
    }

    /// <summary>Declares payment-cloud.instructions if it is missing (durable, in the payment cloud's vhost).</summary>
    public async Task DeclareQueues(CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation);
        try
        {
            var channel = await Channel(cancellation);
            await channel.QueueDeclareAsync(PaymentCloudQueues.Instructions, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellation);
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
        await DropConnection();
        var factory = settings.PaymentCloudBroker.ConnectionFactory("chargelink-payment-instructions");
        _connection = await factory.CreateConnectionAsync(cancellation);
        _channel = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellation);
        return _channel;
    }

    private async Task DropConnection()
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
        await DropConnection();
        _gate.Dispose();
    }
}
