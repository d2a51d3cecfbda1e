using System.Text.Json;

namespace ChargeLink.Gateway.Ocpp;

/// <summary>
/// Reads a CALL payload field by field as the OCPP 1.6 JSON schemas define them, and throws
/// <see cref="OcppViolation"/> with the code the standard names for each kind of mistake. Strict, as the schemas
/// are (<c>additionalProperties: false</c>) and as a strict ocpp-rpc peer is: a property the schema does not have is
/// refused by <see cref="End"/> (PropertyConstraintViolation), and null is not a value of any field
/// (TypeConstraintViolation). Lengths count characters (Unicode code points), as JSON Schema's maxLength does.
/// </summary>
public sealed class PayloadReader(JsonObject payload)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Fields the version's schema has already checked (an enum's value, say) that the action does not use:
    /// read, so that <see cref="End"/> does not take them for properties the schema does not define.</summary>
    public void Checked(params string[] names) => _read.UnionWith(names);

    /// <summary>After the last field: refuses any property the schema does not define. Call it before acting.</summary>
    public void End()
    {
        foreach (var (name, _) in payload)
        {
            if (!_read.Contains(name))
                throw new OcppViolation(
                    OcppErrorCode.PropertyConstraintViolation,
                    $"property {Printable(name)} is not defined for this message"
                );
        }
    }

    public string RequiredString(string name, int maxLength) => OptionalString(name, maxLength) ?? throw Missing(name);

    public string? OptionalString(string name, int maxLength)
    {
        if (!TryGet(name, out var node))
            return null;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            throw new OcppViolation(OcppErrorCode.TypeConstraintViolation, $"{name} must be a string");
        var text = value.GetValue<string>();
        if (text.Length > maxLength && CodePoints(text) > maxLength)
            throw new OcppViolation(
                OcppErrorCode.PropertyConstraintViolation,
                $"{name} is longer than {maxLength} characters"
            );
        return text;
    }

    public int RequiredInt(string name, int min = int.MinValue) => OptionalInt(name, min) ?? throw Missing(name);

    public int? OptionalInt(string name, int min = int.MinValue)
    {
        if (!TryGet(name, out var node))
            return null;
        if (
            node is not JsonValue value
            || value.GetValueKind() != JsonValueKind.Number
            || !value.TryGetValue<int>(out var number)
        )
        {
            // 1.5 or 1e3 are numbers but not integers; the schemas say "integer".
            if (
                node is JsonValue v
                && v.GetValueKind() == JsonValueKind.Number
                && decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                && d == decimal.Truncate(d)
                && d >= int.MinValue
                && d <= int.MaxValue
            )
                number = (int)d;
            else
                throw new OcppViolation(OcppErrorCode.TypeConstraintViolation, $"{name} must be an integer");
        }
        if (number < min)
            throw new OcppViolation(OcppErrorCode.PropertyConstraintViolation, $"{name} must be >= {min}");
        return number;
    }

    public DateTimeOffset RequiredDateTime(string name) => OptionalDateTime(name) ?? throw Missing(name);

    public DateTimeOffset? OptionalDateTime(string name)
    {
        var text = OptionalString(name, 64);
        if (text is null)
            return null;
        if (!Rfc3339.TryParse(text, out var value))
            throw new OcppViolation(
                OcppErrorCode.TypeConstraintViolation,
                $"{name} must be an RFC 3339 date-time with offset, not \"{text}\""
            );
        return value;
    }

    public TEnum RequiredEnum<TEnum>(string name)
        where TEnum : struct, Enum
    {
        var text = RequiredString(name, 64);
        // The schemas' enums are case-sensitive; Enum.TryParse is not, so compare names exactly.
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (candidate.ToString() == text)
                return candidate;
        }
        throw new OcppViolation(
            OcppErrorCode.PropertyConstraintViolation,
            $"{name} \"{text}\" is not one of {string.Join(", ", Enum.GetNames<TEnum>())}"
        );
    }

    /// <summary>An array of objects, each checked by <paramref name="item"/>; null when absent.</summary>
    public int? OptionalObjects(string name, Action<PayloadReader> item, bool nonEmpty = false)
    {
        if (!TryGet(name, out var node))
            return null;
        if (node is not JsonArray array)
            throw new OcppViolation(OcppErrorCode.TypeConstraintViolation, $"{name} must be an array");
        if (nonEmpty && array.Count == 0)
            throw new OcppViolation(OcppErrorCode.OccurenceConstraintViolation, $"{name} needs at least one entry");
        foreach (var element in array)
        {
            if (element is not JsonObject entry)
                throw new OcppViolation(
                    OcppErrorCode.TypeConstraintViolation,
                    $"each entry of {name} must be an object"
                );
            var reader = new PayloadReader(entry);
            item(reader);
            reader.End();
        }
        return array.Count;
    }

    public int RequiredObjects(string name, Action<PayloadReader> item, bool nonEmpty = false) =>
        OptionalObjects(name, item, nonEmpty) ?? throw Missing(name);

    /// <summary>An optional string that must be one of <paramref name="allowed"/> (the schemas' enums).</summary>
    public string? OptionalOneOf(string name, params string[] allowed)
    {
        var text = OptionalString(name, 64);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
            throw new OcppViolation(
                OcppErrorCode.PropertyConstraintViolation,
                $"{name} \"{text}\" is not one of {string.Join(", ", allowed)}"
            );
        return text;
    }

    public string RequiredOneOf(string name, params string[] allowed) =>
        OptionalOneOf(name, allowed) ?? throw Missing(name);

    private bool TryGet(string name, out JsonNode? node)
    {
        _read.Add(name);
        if (!payload.TryGetPropertyValue(name, out node))
            return false;
        return node is not null
            ? true
            : throw new OcppViolation(
                OcppErrorCode.TypeConstraintViolation,
                $"{name} is null; leave an optional property out instead"
            );
    }

    /// <summary>Characters as JSON Schema counts them: a character outside the Basic Multilingual Plane is one, not
    /// two.</summary>
    public static int CodePoints(string text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++, count++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
        }
        return count;
    }

    // A property name from a station goes into a log line and a CALLERROR: short, and quoted.
    private static string Printable(string name) => name.Length <= 40 ? $"\"{name}\"" : $"\"{name[..40]}…\"";

    private static OcppViolation Missing(string name) =>
        new(OcppErrorCode.OccurenceConstraintViolation, $"required property {name} is missing");
}
