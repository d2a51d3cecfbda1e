using System.Text.Json;
using System.Text.Json.Serialization;
using ChargeLink.Domain.Groups;

namespace ChargeLink.EventLog;

/// <summary>How a group event's data is written as JSON (Marten is configured the same way: property names as declared,
/// enums as strings).</summary>
public static class EventJson
{
    public static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter() } };

    public static IGroupEvent Deserialize(string type, string json) =>
        GroupEventTypes.ByName.TryGetValue(type, out var clrType)
            ? (IGroupEvent)(
                JsonSerializer.Deserialize(json, clrType, Options) ?? throw new JsonException($"{type}: null data")
            )
            : throw new JsonException($"unknown event type {type}");
}
