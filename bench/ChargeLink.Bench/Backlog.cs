using ChargeLink.Contracts;
using RabbitMQ.Client;

namespace ChargeLink.Bench;

/// <summary>After an overloaded step the orchestrator still has work queued; the next scenario starts once it is done.</summary>
public static class Backlog
{
    public static async Task Drain(string rabbitMq, TimeSpan? within = null)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(Cli.BrokerUrls.ChargeLinkVhost(rabbitMq)) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromMinutes(3));
        uint waiting;
        while ((waiting = await Queued(channel)) > 0 && DateTime.UtcNow < deadline)
        {
            Progress.Line($"waiting for the orchestrator's backlog: {waiting} messages");
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
    }

    private static async Task<uint> Queued(IChannel channel)
    {
        var total = 0u;
        for (var partition = 0; partition < GroupPartitions.Count; partition++)
            total += await channel.MessageCountAsync(GroupPartitions.QueueName(partition));
        return total;
    }
}
