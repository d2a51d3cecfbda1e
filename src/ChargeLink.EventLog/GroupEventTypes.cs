using System.Reflection;
using ChargeLink.Domain.Groups;

namespace ChargeLink.EventLog;

/// <summary>
/// The stored name of every group event, as its record declares it (<see cref="StoredNameAttribute"/>): stable and
/// versioned, so a renamed C# type never orphans history. A stored event's shape never changes; a new shape gets a new
/// name (say connector_occupied_v2).
/// </summary>
public static class GroupEventTypes
{
    /// <summary>Every event record of the Domain, by stored name.</summary>
    public static readonly IReadOnlyDictionary<string, Type> ByName = typeof(IGroupEvent)
        .Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IGroupEvent).IsAssignableFrom(t))
        .ToDictionary(
            t =>
                t.GetCustomAttribute<StoredNameAttribute>()?.Name
                ?? throw new InvalidOperationException($"{t.Name} has no [StoredName]"),
            StringComparer.Ordinal
        );

    private static readonly Dictionary<Type, string> Names = ByName.ToDictionary(p => p.Value, p => p.Key);

    public static string NameOf(Type type) =>
        Names.TryGetValue(type, out var name)
            ? name
            : throw new ArgumentException($"{type.Name} is no group event with a [StoredName]", nameof(type));
}
