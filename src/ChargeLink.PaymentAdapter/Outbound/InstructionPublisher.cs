using System.Text;
using ChargeLink.Contracts.PaymentCloud;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RabbitMQ.Client;

namespace ChargeLink.PaymentAdapter.Outbound;

/// <summary>
/// Writes signed instructions to payment-cloud.instructions as plain JSON, with publisher confirms:
/// a publish returns only once the broker has the message, and throws otherwise (the caller then does not
/// acknowledge what caused it, so the instruction is produced again later rather than lost).
/// </summary>
public sealed class InstructionPublisher(
    ChargeLinkSettings settings,
    PaymentSignature signature,
    ILogger<InstructionPublisher> logger
) : IAsyncDisposable
{
    private readonly BrokerChannel _channel = new(
        settings.PaymentCloudBroker,
        "chargelink-payment-instructions",
        confirms: true
    );

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
            VoidInstruction v => new JObject
            {
                ["type"] = v.Type,
                ["paymentId"] = v.PaymentId,
                ["reason"] = v.Reason,
            },
            _ => throw new ArgumentOutOfRangeException(
                nameof(instruction),
                instruction.GetType().Name,
                "not an instruction the contract knows"
            ),
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
        await _channel.Use(
            channel =>
                channel
                    .BasicPublishAsync(
                        string.Empty,
                        PaymentCloudQueues.Instructions,
                        mandatory: true,
                        properties,
                        body,
                        cancellation
                    )
                    .AsTask(),
            cancellation
        );
        logger.LogInformation(
            "Instruction {InstructionType} for payment {PaymentId} sent to the payment cloud",
            instruction.Type,
            instruction.PaymentId
        );
    }

    /// <summary>Declares payment-cloud.instructions if it is missing (durable, in the payment cloud's vhost).</summary>
    public Task DeclareQueues(CancellationToken cancellation) =>
        _channel.Use(
            channel =>
                channel.QueueDeclareAsync(
                    PaymentCloudQueues.Instructions,
                    durable: true,
                    exclusive: false,
                    autoDelete: false,
                    cancellationToken: cancellation
                ),
            cancellation
        );

    public ValueTask DisposeAsync() => _channel.DisposeAsync();
}
