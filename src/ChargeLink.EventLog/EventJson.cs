using System.Text;
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

    /// <summary>The data of an event whose record type is already known (<see cref="TypeOf(ReadOnlySpan{byte})"/>),
    /// from the UTF-8 PostgreSQL sends: no text in between.</summary>
    public static IGroupEvent Deserialize(Type type, ReadOnlySpan<byte> utf8) =>
        (IGroupEvent)(JsonSerializer.Deserialize(utf8, type, Options) ?? throw Null(type.Name));

    /// <summary>The record type of a stored event name given in UTF-8, without making a string of it.</summary>
    public static Type TypeOf(ReadOnlySpan<byte> utf8Name)
    {
        // Stored names are short ASCII: anything longer or not ASCII is no name of ours.
        Span<char> name = stackalloc char[64];
        if (utf8Name.Length > name.Length || !Ascii.IsValid(utf8Name))
            throw new JsonException("unknown event type (not a stored name)");
        Ascii.ToUtf16(utf8Name, name, out var written);
        var chars = name[..written];
        return ByName.TryGetValue(chars, out var clrType)
            ? clrType
            : throw new JsonException($"unknown event type {chars}");
    }

    private static readonly Dictionary<string, Type>.AlternateLookup<ReadOnlySpan<char>> ByName = new Dictionary<
        string,
        Type
    >(GroupEventTypes.ByName, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private static Type TypeOf(string type) =>
        GroupEventTypes.ByName.TryGetValue(type, out var clrType)
            ? clrType
            : throw new JsonException($"unknown event type {type}");

    private static JsonException Null(string type) => new($"{type}: null data");
}
