namespace ChargeLink.Simulators;

/// <summary>Frames that are not CALLs at all: wrong message types, unreadable ids, answers never asked, not JSON,
/// binary, at and past the size cap.</summary>
public sealed partial class FrameFuzzer
{
    private static readonly string[] WrongTypes =
    [
        "0",
        "1",
        "5",
        "6",
        "-1",
        "2147483648",
        "\"2\"",
        "\"\"",
        "2.0",
        "2e0",
        "1e308",
        "null",
        "true",
        "[]",
        "{}",
        "[2]",
    ];

    // A MessageTypeId other than 2, 3 and 4, or not a number: FormationViolation with the id.
    private FuzzFrame WrongMessageType(string id)
    {
        var (action, payload, _) = Payload();
        var frame = CallFrame(id, action, payload);
        frame[0] = JsonNode.Parse(WrongTypes[_random.Next(WrongTypes.Length)]);
        return TextFrame(Serialize(frame));
    }

    // An id that cannot be read (not a string, empty, over 36 characters, not Unicode): nothing to answer.
    private FuzzFrame UnreadableId(string id)
    {
        var (action, payload, _) = Payload();
        var frame = CallFrame(id, action, payload);
        frame[1] = _random.Next(9) switch
        {
            0 => _random.Next(),
            1 => -1.5,
            2 => null,
            3 => true,
            4 => new JsonArray(id),
            5 => new JsonObject { ["id"] = id },
            6 => "",
            // Two over, so that it is too long in code points as well as in UTF-16 units.
            7 => id.PadRight(MaxMessageIdLength + 2 + _random.Next(40), 'x'),
            _ => id + LoneMarker(),
        };
        return TextFrame(Serialize(frame));
    }

    // Answers to CALLs the gateway never made, well-formed or not: dropped without an answer.
    private FuzzFrame Answer(string id)
    {
        JsonNode frame = _random.Next(8) switch
        {
            0 => new JsonArray(3, id, new JsonObject()),
            1 => new JsonArray(3, id, new JsonObject { ["status"] = "Accepted" }),
            2 => new JsonArray(3, id, "not an object"),
            3 => new JsonArray(4, id, "GenericError", "x", new JsonObject()),
            4 => new JsonArray(4, id, "NotImplemented"),
            5 => new JsonArray(4, id, 1, 2, 3),
            6 => new JsonArray(3, id, new JsonObject { [LoneMarker()] = 1 }),
            _ => new JsonArray(4, id, "GenericError", "x" + LoneMarker(), new JsonObject(), "extra"),
        };
        return TextFrame(Serialize(frame));
    }

    // The array around a CALL gone wrong, or right in an unusual spelling.
    private FuzzFrame Shape(string id)
    {
        var (action, payload, expected) = Payload();
        switch (_random.Next(8))
        {
            case 0:
                return TextFrame(Serialize(new JsonArray(2, id, action, payload, Odd())));
            case 1:
                return TextFrame(Serialize(new JsonArray(2, id, action)));
            case 2:
                return TextFrame(Serialize(new JsonArray(2, id, Odd() ?? 17, payload)));
            case 3:
                var odd = Odd();
                return TextFrame(Serialize(new JsonArray(2, id, action, odd is JsonObject ? "x" : odd)));
            case 4 when payload.Count > 0:
                // A property named twice is refused as a whole.
                var (name, value) = payload.First();
                var first = $"{JsonSerializer.Serialize(name)}:{value?.ToJsonString() ?? "null"}";
                var twice = $"{{{first},{payload.ToJsonString()[1..]}";
                return TextFrame(Serialize(CallFrame(id, action, Nest), twice));
            case 5:
                // The same frame with whitespace between its tokens: the same answer.
                return TextFrame(CallFrame(id, action, payload).ToJsonString(Indented), expected);
            case 6 when action.Length > 0 && char.IsAsciiLetter(action[0]):
                // The action's first character as a \u escape: the same action.
                var spelled = $"\"\\u{(int)action[0]:x4}{JsonSerializer.Serialize(action)[2..]}";
                return TextFrame(Serialize(new JsonArray(2, id, Nest, payload), spelled), expected);
            default:
                return TextFrame("\t\r\n " + Serialize(CallFrame(id, action, payload)) + " \n", expected);
        }
    }

    // Text that is no JSON at all, JSON that is no array, and near-JSON a lenient parser would take.
    private FuzzFrame NotJson(string id)
    {
        var call = new JsonArray(2, id, "Heartbeat", new JsonObject()).ToJsonString();
        return TextFrame(
            _random.Next(16) switch
            {
                0 => Encoding.UTF8.GetString(RandomBytes(1, 200)),
                1 => new JsonObject { ["id"] = id }.ToJsonString(),
                2 => call[..^2],
                3 => "",
                4 => " ",
                5 => "null",
                6 => "42",
                7 => JsonSerializer.Serialize(call),
                8 => "/* a comment */" + call,
                9 => call[..^1] + ",]",
                10 => call.Replace('"', '\''),
                11 => call + call,
                12 => call + "]",
                13 => $"[2, \"{id}\", \"Heartbeat\", {{}}, NaN]",
                14 => $"[2, \"{id}\", \"Heartbeat\", {{\"a\": undefined}}]",
                _ => "[2, \"" + id + "\", \"Heartbeat\", {",
            }
        );
    }

    // Binary frames are not OCPP-J: dropped, and the connection stays.
    private FuzzFrame BinaryFrame(string id)
    {
        var bytes = _random.Next(4) switch
        {
            0 => [],
            1 => Encoding.UTF8.GetBytes(
                new JsonArray(
                    2,
                    id,
                    "StatusNotification",
                    new JsonObject
                    {
                        ["connectorId"] = 1,
                        ["errorCode"] = "NoError",
                        ["status"] = "Preparing",
                    }
                ).ToJsonString()
            ),
            _ => RandomBytes(1, 300),
        };
        return new FuzzFrame(null, bytes, ExpectsAnswer: false, ClosesConnection: false);
    }

    // Beyond the cap: the gateway closes with MessageTooBig and answers nothing.
    private FuzzFrame Oversize(string id)
    {
        var size = MaxFrameBytes + 1 + _random.Next(4096);
        switch (_random.Next(4))
        {
            case 0:
                return new FuzzFrame(null, RandomBytes(size, size + 1), ExpectsAnswer: false, ClosesConnection: true);
            case 1:
                return new FuzzFrame(new string('x', size), null, ExpectsAnswer: false, ClosesConnection: true);
            default:
                var text = Padded(id, size);
                return new FuzzFrame(text, null, ExpectsAnswer: false, ClosesConnection: true);
        }
    }

    // At the cap, to the byte, or just under it: served like any other.
    private FuzzFrame AtLimit(string id)
    {
        var size = _random.Next(2) == 0 ? MaxFrameBytes : MaxFrameBytes - _random.Next(1, 64);
        var text = Padded(id, size);
        return TextFrame(text, FuzzFrame.CallResult);
    }

    /// <summary>A valid DataTransfer of exactly <paramref name="bytes"/> bytes of UTF-8.</summary>
    private string Padded(string id, int bytes)
    {
        var prefix = SomeText(1 + _random.Next(20));
        var empty = new JsonArray(
            2,
            id,
            "DataTransfer",
            new JsonObject { ["vendorId"] = "fuzz", ["data"] = prefix }
        ).ToJsonString();
        var missing = bytes - Encoding.UTF8.GetByteCount(empty);
        var text = new JsonArray(
            2,
            id,
            "DataTransfer",
            new JsonObject { ["vendorId"] = "fuzz", ["data"] = prefix + new string('x', Math.Max(0, missing)) }
        ).ToJsonString();
        return text;
    }

    private byte[] RandomBytes(int min, int max)
    {
        var bytes = new byte[_random.Next(min, max)];
        _random.NextBytes(bytes);
        return bytes;
    }
}
