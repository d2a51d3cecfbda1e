using System.Text;

namespace ChargeLink.Contracts;

/// <summary>
/// Every message about a station group travels to one of a fixed number of partitions, chosen by a stable hash of the
/// group id and carried as the routing key. Each partition is one queue consumed by a single active orchestrator, so a
/// group has one owner at a time and its inputs reach the decider in the order the broker received them.
/// </summary>
public static class GroupPartitions
{
    /// <summary>Fixed: changing it would send a group's queued messages to two partitions at once.</summary>
    public const int Count = 16;

    /// <summary>The direct exchange between the message exchanges and the partition queues.</summary>
    public const string Exchange = "chargelink.orchestrator.groups";

    /// <summary>The partition queues: one per routing key.</summary>
    public static string QueueName(int partition) => $"chargelink.orchestrator.groups.{RoutingKey(partition)}";

    public static string RoutingKey(int partition) => $"p{partition:D2}";

    public static int Of(string groupId)
    {
        // FNV-1a over UTF-8: the same on every machine and every run, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(groupId))
            hash = (hash ^ b) * 16777619u;
        return (int)(hash % Count);
    }

    public static string RoutingKeyOf(string groupId) => RoutingKey(Of(groupId));

    /// <summary>The message types that carry a group and are routed by it.</summary>
    public static IReadOnlyList<Type> MessageTypes { get; } =
    [
        .. typeof(IGroupMessage)
            .Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IGroupMessage).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal),
    ];
}
