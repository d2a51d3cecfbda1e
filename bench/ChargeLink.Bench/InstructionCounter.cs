using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.Simulators;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ChargeLink.Bench;

/// <summary>Plays the payment cloud's reading side: consumes payment-cloud.instructions and counts them per payment and type.</summary>
public sealed class InstructionCounter : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly PaymentSignature _signature;

    public ConcurrentDictionary<string, int> Captures { get; } = new();
    public ConcurrentDictionary<string, int> Voids { get; } = new();

    /// <summary>Every instruction received, by payment: its type and its amount (captures) or reason (voids).</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> All { get; } = new();
    public int BadSignatures;

    private InstructionCounter(IConnection connection, IChannel channel, PaymentSignature signature) =>
        (_connection, _channel, _signature) = (connection, channel, signature);

    public static async Task<InstructionCounter> Start(string rabbitMq, string secret)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(rabbitMq) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(PaymentCloudQueues.Instructions, durable: true, exclusive: false, autoDelete: false);
        await channel.QueuePurgeAsync(PaymentCloudQueues.Instructions);
        var counter = new InstructionCounter(connection, channel, new PaymentSignature(secret));
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            counter.Count(delivery);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(PaymentCloudQueues.Instructions, autoAck: true, consumer);
        return counter;
    }

    private void Count(BasicDeliverEventArgs delivery)
    {
        if (!PaymentCloudSimulator.HasValidSignature(_signature, delivery.BasicProperties, delivery.Body.Span))
            Interlocked.Increment(ref BadSignatures);
        var json = JsonNode.Parse(delivery.Body.Span)!;
        var counts = json["type"]?.GetValue<string>() == "payment.capture" ? Captures : Voids;
        var paymentId = json["paymentId"]!.GetValue<string>();
        counts.AddOrUpdate(paymentId, 1, (_, n) => n + 1);
        All.GetOrAdd(paymentId, _ => new()).Enqueue(json["type"]?.GetValue<string>() == "payment.capture"
            ? $"capture {json["amount"]?["value"]}"
            : $"void {json["reason"]}");
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
