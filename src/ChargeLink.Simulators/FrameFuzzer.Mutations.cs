namespace ChargeLink.Simulators;

/// <summary>Text, dates and values that break a field: wrong types, out of domain, odd names.</summary>
public sealed partial class FrameFuzzer
{
    private static readonly string[] TextPieces =
    [
        "\u0000",
        "\u00e9",
        "\U0001F50C",
        "e\u0301",
        "\u4e2d",
        "\u200d",
        "\u202e",
        "\ufeff",
        "\uffff",
        "\u0627",
        " ",
        "\"",
        "\\",
        "<",
        "\n",
    ];

    /// <summary>Text of exactly <paramref name="codePoints"/> characters (Unicode code points), mostly ASCII.</summary>
    private string SomeText(int codePoints)
    {
        var text = new StringBuilder();
        for (var i = 0; i < codePoints; i++)
        {
            var piece =
                _random.Next(8) == 0
                    ? TextPieces[_random.Next(TextPieces.Length)]
                    : ((char)('A' + _random.Next(26))).ToString();
            // A combining sequence is two code points: keep to the count asked for.
            if (piece == "e\u0301" && i + 1 >= codePoints)
                piece = "e";
            else if (piece == "e\u0301")
                i++;
            text.Append(piece);
        }
        return text.ToString();
    }

    private string SomeDate()
    {
        var at = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(
            _random.NextInt64(0, 30L * 365 * 86400)
        );
        return _random.Next(4) switch
        {
            0 => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            1 => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            2 => at.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            _ => at.ToOffset(TimeSpan.FromMinutes(-330))
                .ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
        };
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Mistakes in a payload: each returns the answer it gets on an otherwise valid payload, or null when that is open.

    private static readonly string[] OddNames =
    [
        "extra",
        "x",
        "",
        " ",
        "\U0001F50C",
        "e\u0301",
        "a\u0000b",
        "\u202e",
        "__proto__",
        "$type",
    ];

    private static readonly string[] BadDates =
    [
        "2026-13-45T99:99:99Z",
        "2026-11-24T10:00:00",
        "2026-11-24",
        "24/11/2026 10:00",
        "",
        "now",
        "2026-11-24T10:00:00+25:00",
        "\u0662\u0660\u0662\u0666-11-24T10:00:00Z",
        "2026-02-30T10:00:00Z",
        "2026-11-24T10:00:00.1234567890Z",
    ];

    private string? Mutate(Field[] schema, JsonObject payload)
    {
        if (schema.Length == 0 || _random.Next(6) == 0)
        {
            // A property the schema does not define (additionalProperties: false).
            var name = _random.Next(4) switch
            {
                0 when schema.Length > 0 => Flip(schema[_random.Next(schema.Length)].Name),
                1 => OddNames[_random.Next(OddNames.Length)] + _random.Next(3).ToString(CultureInfo.InvariantCulture),
                _ => OddNames[_random.Next(OddNames.Length)],
            };
            if (schema.Any(f => f.Name == name) || payload.ContainsKey(name))
                return null;
            payload[name] = Odd();
            return PropertyConstraintViolation;
        }
        var field = schema[_random.Next(schema.Length)];
        if (field.Kind == Kind.Any)
        {
            payload[field.Name] = Odd();
            return FuzzFrame.CallResult;
        }
        switch (_random.Next(8))
        {
            case 0:
                payload.Remove(field.Name);
                return field.Required ? OccurenceConstraintViolation : FuzzFrame.CallResult;
            case 1:
                payload[field.Name] = null;
                return TypeConstraintViolation;
            case 2:
                payload[field.Name] = WrongType(field);
                return TypeConstraintViolation;
            case 3:
                return OutOfDomain(field, payload);
            case 4
                when field.Kind == Kind.Objects
                    && payload[field.Name] is JsonArray { Count: > 0 } entries
                    && entries[_random.Next(entries.Count)] is JsonObject entry:
                // Inside one of the elements (a MeterValue, one of its SampledValues, an event).
                return Mutate(field.Of!, entry);
            case 4 when field.Kind == Kind.Object && payload[field.Name] is JsonObject inner:
                return Mutate(field.Of!, inner);
            // Up to 2,500 characters (an astral one is 12 bytes escaped): longer ones at their limit would pass the
            // frame cap.
            case 5 when field.Kind == Kind.Text && field.Max <= LongestTextAtItsLimit:
                // Lengths count code points: exactly the limit in astral characters fits; one more does not.
                var over = _random.Next(2);
                payload[field.Name] = string.Concat(
                    Enumerable.Repeat(_random.Next(2) == 0 ? "\U0001F50C" : "\u00e9", field.Max + over)
                );
                return over == 0 ? FuzzFrame.CallResult : PropertyConstraintViolation;
            default:
                payload[field.Name] = Odd();
                return payload[field.Name] is null ? TypeConstraintViolation : null;
        }
    }

    private const int LongestTextAtItsLimit = 2500;

    private string Flip(string name) =>
        _random.Next(3) switch
        {
            0 => name.ToUpperInvariant(),
            1 => char.ToUpperInvariant(name[0]) + name[1..],
            _ => name + "_",
        };

    private JsonNode WrongType(Field field)
    {
        JsonNode[] candidates = field.Kind switch
        {
            Kind.Int => ["2", true, false, 1.5, new JsonArray(1), new JsonObject(), "", "one"],
            Kind.Objects => ["[]", 1, true, new JsonObject(), new JsonArray(1, 2), new JsonArray("x")],
            Kind.Object => ["{}", 1, true, new JsonArray(), new JsonArray(new JsonObject())],
            Kind.Number => ["1", true, new JsonArray(1), new JsonObject(), "NaN"],
            Kind.Bool => ["true", 1, 0, new JsonArray(true), new JsonObject()],
            _ => [1, 0, true, new JsonArray("Available"), new JsonObject { ["value"] = "x" }, 1e300],
        };
        return candidates[_random.Next(candidates.Length)].DeepClone();
    }

    private string? OutOfDomain(Field field, JsonObject payload)
    {
        switch (field.Kind)
        {
            case Kind.Int when field.Min > int.MinValue && (field.Max == int.MaxValue || _random.Next(2) == 0):
                payload[field.Name] = field.Min - 1L - _random.Next(3);
                return PropertyConstraintViolation;
            case Kind.Int when field.Max < int.MaxValue:
                payload[field.Name] = field.Max + 1L + _random.Next(3);
                return PropertyConstraintViolation;
            case Kind.Enum:
                var value = field.Values![_random.Next(field.Values.Length)];
                // The schemas' enums are case-sensitive.
                payload[field.Name] = _random.Next(3) switch
                {
                    0 when value.ToLowerInvariant() != value => value.ToLowerInvariant(),
                    1 => value + " ",
                    _ => "NotAValue",
                };
                return PropertyConstraintViolation;
            case Kind.Date:
                var bad = BadDates[_random.Next(BadDates.Length)];
                payload[field.Name] = bad;
                // Every version's schemas read a timestamp as a string of format date-time (a value the string may not
                // hold), where ten digits of a second are valid RFC 3339 and what then becomes of them is left open.
                return bad.Contains(".1234567890", StringComparison.Ordinal) ? null : PropertyConstraintViolation;
            case Kind.Text when field.Max < int.MaxValue:
                payload[field.Name] = new string('x', field.Max + 1 + _random.Next(20));
                return PropertyConstraintViolation;
            case Kind.Objects:
                payload[field.Name] = new JsonArray();
                return field.NonEmpty ? OccurenceConstraintViolation : FuzzFrame.CallResult;
            default:
                return null;
        }
    }

    private static readonly JsonNode?[] OddValues =
    [
        null,
        true,
        false,
        -1,
        0,
        2147483648,
        1e300,
        1.5,
        "",
        new string('x', 600),
        "Preparing",
        "2026-13-45T99:99:99Z",
        "\u00fcn\u00efc\u00f8d\u00e9 \u0000",
        "\U0001F50C\U0001F50C",
        "e\u0301",
        "\u0000",
        new JsonArray(),
        new JsonObject(),
        new JsonArray(1, "two", new JsonObject()),
        new JsonObject { ["connectorId"] = 1 },
    ];

    private JsonNode? Odd() => OddValues[_random.Next(OddValues.Length)]?.DeepClone();

    // ---------------------------------------------------------------------------------------------------------------
    // The other kinds of frame.
}
