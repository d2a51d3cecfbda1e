namespace ChargeLink.Simulators;

/// <summary>Frames broken below the payload: truncated, nested deep, Unicode at its edges, huge numbers.</summary>
public sealed partial class FrameFuzzer
{
    // Valid frames cut short: the text at a random point, or the array after an element.
    private FuzzFrame Truncated(string id)
    {
        var (action, payload, _) = Payload();
        var text = Serialize(CallFrame(id, action, payload));
        return _random.Next(4) switch
        {
            0 => TextFrame(
                _random.Next(2) == 0 ? new JsonArray(2, id, action).ToJsonString() : new JsonArray(2, id).ToJsonString()
            ),
            1 => TextFrame(_random.Next(2) == 0 ? "[2]" : "[]"),
            _ => TextFrame(text[..(1 + _random.Next(text.Length - 1))]),
        };
    }

    // Arrays or objects 10-200 levels deep: System.Text.Json reads 64 levels, deeper is not JSON.
    private FuzzFrame Nested(string id)
    {
        var depth = 10 + _random.Next(191);
        var arrays = _random.Next(2) == 0;
        var nest = arrays
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        var (action, payload, before) = Payload();
        var frame = CallFrame(id, action, payload);
        string? expected = null;
        switch (_random.Next(6))
        {
            case 0:
                payload["deep"] = Nest;
                expected = AndUndefinedProperty(before);
                break;
            case 1 when payload.Count > 0:
                payload[payload.First().Key] = Nest;
                break;
            case 2:
                frame[3] = Nest;
                break;
            case 3:
                frame[1] = Nest;
                break;
            case 4:
                frame[0] = Nest;
                break;
            default:
                return TextFrame(new string('[', depth) + Serialize(frame) + new string(']', depth));
        }
        return TextFrame(Serialize(frame, nest), expected);
    }

    // Unicode: in values and property names, valid (astral, combining, NUL, BOM, bidi) or not (unpaired surrogates).
    private FuzzFrame Unicode(string id)
    {
        var action = Actions[_random.Next(Actions.Count)];
        var schema = Schemas[action];
        var payload = Valid(schema);
        var frame = CallFrame(id, action, payload);
        var texts = schema.Where(f => f.Kind == Kind.Text).ToList();
        switch (_random.Next(9))
        {
            case 0 when texts.Count > 0:
                // Valid Unicode within the length a field allows: served.
                var field = texts[_random.Next(texts.Count)];
                payload[field.Name] = SomeText(1 + _random.Next(Math.Min(field.Max, 40)));
                return TextFrame(Serialize(frame), FuzzFrame.CallResult);
            case 1:
                // An unpaired surrogate in a value: FormationViolation.
                payload[texts.Count > 0 ? texts[_random.Next(texts.Count)].Name : "x"] = "ab" + LoneMarker();
                break;
            case 2:
                payload[LoneMarker()] = "x";
                break;
            case 3:
                frame[2] = action + LoneMarker();
                break;
            case 4:
                // In the message id: no text to answer with, so no answer.
                frame[1] = _random.Next(2) == 0 ? id + LoneMarker() : LoneMarker() + id;
                break;
            case 5:
                // A raw NUL inside a JSON string is not JSON.
                payload[texts.Count > 0 ? texts[_random.Next(texts.Count)].Name : "x"] = "a" + RawNul;
                break;
            case 6:
                // A raw astral character in the text (not a \u escape): valid, read as one code point.
                if (texts.Count == 0)
                    goto case 2;
                payload[texts[_random.Next(texts.Count)].Name] = RawAstral;
                return TextFrame(Serialize(frame), FuzzFrame.CallResult);
            case 7:
                // A property name in Unicode is still a property the schema does not define.
                payload[OddNames[3 + _random.Next(4)]] = 1;
                return TextFrame(Serialize(frame), PropertyConstraintViolation);
            default:
                // A byte order mark before the frame is not JSON.
                return TextFrame("\ufeff" + Serialize(frame));
        }
        return TextFrame(Serialize(frame));
    }

    private static readonly (string Literal, int? Int32, bool Whole)[] HugeNumbers =
    [
        ("1e308", null, true),
        ("-1e308", null, true),
        ("1e309", null, true),
        ("-9223372036854775809", null, true),
        ("9223372036854775808", null, true),
        ("99999999999999999999", null, true),
        ("2147483648", null, true),
        ("-2147483649", null, true),
        ("2147483647", int.MaxValue, true),
        ("-2147483648", int.MinValue, true),
        ("1.5", null, false),
        ("0.1e1", 1, true),
        ("-0", 0, true),
        ("1E2", 100, true),
        ("2.0", 2, true),
        // Beyond a double's precision: a validator that reads numbers as doubles (JSON Schema's usual) sees a whole
        // number.
        ("123456789012345678901234567890.5", null, true),
    ];

    private static readonly string[] HugeNumberStrings =
    [
        "1e308",
        "99999999999999999999",
        "79228162514264337593543950335",
        "-9223372036854775809",
        "NaN",
        "Infinity",
        "1e-7",
        "0x10",
    ];

    // Numbers too big for any integer or double, where an int is wanted, where a string is, and as sampled values.
    private FuzzFrame HugeNumber(string id)
    {
        var (literal, int32, whole) = HugeNumbers[_random.Next(HugeNumbers.Length)];
        var number = JsonNode.Parse(literal)!;
        var action = Actions[_random.Next(Actions.Count)];
        var schema = Schemas[action];
        var payload = Valid(schema);
        var frame = CallFrame(id, action, payload);
        var ints = schema.Where(f => f.Kind == Kind.Int).ToList();
        switch (_random.Next(6))
        {
            case 0 when ints.Count > 0:
                // An integer, as JSON Schema reads one, is a number without a fraction: 2.0 and 1E2 are; 32 bits in
                // OCPP.
                var field = ints[_random.Next(ints.Count)];
                payload[field.Name] = number;
                // 2.x's schemas set no width: a whole number beyond 32 bits passes them, and what then becomes of it is
                // open.
                return TextFrame(
                    Serialize(frame),
                    int32 is { } value
                            ? (
                                value < field.Min || value > field.Max
                                    ? PropertyConstraintViolation
                                    : FuzzFrame.CallResult
                            )
                        : !_v2 || !whole ? TypeConstraintViolation
                        : null
                );
            case 1 when schema.Any(f => f.Kind is Kind.Text or Kind.Enum or Kind.Date):
                var texts = schema.Where(f => f.Kind is Kind.Text or Kind.Enum or Kind.Date).ToList();
                payload[texts[_random.Next(texts.Count)].Name] = number;
                return TextFrame(Serialize(frame), TypeConstraintViolation);
            case 2 when _v2:
                // As a sampled value, a JSON number in 2.x: any number is valid as the schema goes.
                var reading = new JsonObject
                {
                    ["timestamp"] = SomeDate(),
                    ["sampledValue"] = new JsonArray(
                        new JsonObject
                        {
                            ["value"] = number,
                            ["unitOfMeasure"] = new JsonObject { ["unit"] = _random.Next(2) == 0 ? "kWh" : "Wh" },
                        }
                    ),
                };
                return TextFrame(
                    Serialize(
                        CallFrame(
                            id,
                            "MeterValues",
                            new JsonObject { ["evseId"] = 1, ["meterValue"] = new JsonArray(reading) }
                        )
                    ),
                    FuzzFrame.CallResult
                );
            case 2:
                // As a sampled value's text, in Wh or kWh: a string, valid as the schema goes.
                var samples = new JsonObject
                {
                    ["timestamp"] = SomeDate(),
                    ["sampledValue"] = new JsonArray(
                        new JsonObject
                        {
                            ["value"] = HugeNumberStrings[_random.Next(HugeNumberStrings.Length)],
                            ["unit"] = _random.Next(2) == 0 ? "kWh" : "Wh",
                        }
                    ),
                };
                var meter =
                    action == "StopTransaction" ? Valid(Schemas["StopTransaction"]) : Valid(Schemas["MeterValues"]);
                meter[action == "StopTransaction" ? "transactionData" : "meterValue"] = new JsonArray(samples);
                return TextFrame(
                    Serialize(CallFrame(id, action == "StopTransaction" ? "StopTransaction" : "MeterValues", meter)),
                    FuzzFrame.CallResult
                );
            case 3:
                frame[0] = number;
                break;
            case 4:
                frame[1] = number;
                break;
            default:
                payload["big"] = number;
                return TextFrame(Serialize(frame), PropertyConstraintViolation);
        }
        return TextFrame(Serialize(frame));
    }
}
