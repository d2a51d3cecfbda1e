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
        (IGroupEvent)(JsonSerializer.Deserialize(json, TypeOf(type), Options) ?? throw Null(type));

    /// <summary>The same from the UTF-8 PostgreSQL sends: no text in between.</summary>
    public static IGroupEvent Deserialize(string type, ReadOnlySpan<byte> utf8) =>
        (IGroupEvent)(JsonSerializer.Deserialize(utf8, TypeOf(type), Options) ?? throw Null(type));

    private static Type TypeOf(string type) =>
        GroupEventTypes.ByName.TryGetValue(type, out var clrType)
            ? clrType
            : throw new JsonException($"unknown event type {type}");

    private static JsonException Null(string type) => new($"{type}: null data");
}
