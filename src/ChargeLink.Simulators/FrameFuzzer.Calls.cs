namespace ChargeLink.Simulators;

/// <summary>CALLs, valid or broken against their action's schema, and unknown actions.</summary>
public sealed partial class FrameFuzzer
{
    // Markers are written into a JsonNode as plain strings and replaced in its JSON text by what no JsonNode can hold:
    // unpaired surrogate escapes, raw characters the serializer would escape, raw numbers, deep nesting.
    private const string Lone = "@@lone",
        RawNul = "@@rawnul@@",
        RawAstral = "@@rawastral@@",
        Nest = "@@nest@@";

    private static readonly string[] LoneSurrogates =
    [
        @"\udfff",
        @"\ud83d",
        @"\udd0c\ud83d",
        @"a\ud800b",
        @"\ud83d\ud83d\udd0c",
    ];

    private static readonly JsonSerializerOptions Relaxed = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private string Serialize(JsonNode node, string? nest = null)
    {
        var text = node.ToJsonString(_random.Next(3) == 0 ? Relaxed : null);
        for (var i = 0; i < LoneSurrogates.Length; i++)
            text = text.Replace($"{Lone}{i}@@", LoneSurrogates[i], StringComparison.Ordinal);
        text = text.Replace(RawNul, "\u0000", StringComparison.Ordinal)
            .Replace(RawAstral, "\U0001F50C", StringComparison.Ordinal);
        if (nest is not null)
            text = text.Replace($"\"{Nest}\"", nest, StringComparison.Ordinal);
        return text;
    }

    private string LoneMarker() => $"{Lone}{_random.Next(LoneSurrogates.Length)}@@";

    /// <summary>A text frame, judged as the gateway will read it (the text as it comes out of UTF-8).</summary>
    private FuzzFrame TextFrame(string text, string? byConstruction = null)
    {
        text = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
        var verdict = Judge(text, subprotocol);
        var expected = !verdict.Owes
            ? null
            : verdict.Code
                ?? (verdict.ReachesHandler && byConstruction is not null ? Spell(byConstruction, subprotocol) : null);
        return new FuzzFrame(text, null, verdict.Owes, ClosesConnection: false) { Expected = expected };
    }

    private static JsonArray CallFrame(string id, string action, JsonNode? payload) => new(2, id, action, payload);

    // A valid or mutated CALL of a station action, or of an action that is not one.
    private FuzzFrame Call(string id)
    {
        var (action, payload, expected) = Payload();
        var frame = CallFrame(id, action, payload);
        // Now and then the frame itself is off too (the old fuzz's mutations): its verdict then comes from its shape.
        var touched = false;
        if (_random.Next(10) == 0)
        {
            frame[_random.Next(4) == 0 ? 0 : 3] = Odd();
            touched = true;
        }
        if (_random.Next(14) == 0)
        {
            frame.Add(Odd());
            touched = true;
        }
        return TextFrame(Serialize(frame), touched ? null : expected);
    }

    /// <summary>An action and its payload, valid or with mistakes; and the answer that settles, when it does.</summary>
    private (string Action, JsonObject Payload, string? Expected) Payload()
    {
        if (_random.Next(12) == 0)
        {
            // The action decides before the payload is read: unknown is NotImplemented, a central system's is
            // NotSupported.
            var unknownActions = _v2 ? UnknownActions2 : UnknownActions;
            var (unknown, code) = unknownActions[_random.Next(unknownActions.Length)];
            var (_, anyPayload, _) = Payload();
            return (unknown, anyPayload, code);
        }
        var action = Actions[_random.Next(Actions.Count)];
        var payload = Valid(Schemas[action]);
        var mutations = _random.Next(10) switch
        {
            < 3 => 0,
            < 8 => 1,
            _ => 2 + _random.Next(2),
        };
        string? expected = FuzzFrame.CallResult;
        for (var i = 0; i < mutations; i++)
        {
            var outcome = Mutate(Schemas[action], payload);
            expected = mutations == 1 ? outcome : null;
        }
        return (action, payload, expected);
    }

    /// <summary>The answer once a property the schema does not define is added to a payload that would have got
    /// <paramref name="before"/>.</summary>
    private static string? AndUndefinedProperty(string? before) =>
        before switch
        {
            FuzzFrame.CallResult => PropertyConstraintViolation,
            // The action decides before the payload is read.
            NotImplemented or NotSupported => before,
            _ => null,
        };

    private static readonly (string Action, string Code)[] UnknownActions =
    [
        ("NoSuchAction", NotImplemented),
        ("", NotImplemented),
        ("heartbeat", NotImplemented),
        ("HEARTBEAT", NotImplemented),
        ("Heartbeat ", NotImplemented),
        ("BootNotification\u0000", NotImplemented),
        ("\U0001F50C", NotImplemented),
        ("Authorize\u0301", NotImplemented),
        (new string('A', 300), NotImplemented),
        ("RemoteStartTransaction", NotSupported),
        ("Reset", NotSupported),
        ("GetConfiguration", NotSupported),
        ("SignCertificate", NotSupported),
        ("ExtendedTriggerMessage", NotSupported),
    ];

    // In 2.x an action without a schema of the version is unknown (1.6's StartTransaction among them); one the central
    // system sends, or a station's that ChargeLink does not take, is not supported.
    private static readonly (string Action, string Code)[] UnknownActions2 =
    [
        ("NoSuchAction", NotImplemented),
        ("", NotImplemented),
        ("heartbeat", NotImplemented),
        ("StartTransaction", NotImplemented),
        ("StopTransaction", NotImplemented),
        ("Heartbeat ", NotImplemented),
        ("🔌", NotImplemented),
        (new string('A', 300), NotImplemented),
        ("RequestStartTransaction", NotSupported),
        ("Reset", NotSupported),
        ("GetVariables", NotSupported),
        ("SignCertificate", NotSupported),
    ];

    // ---------------------------------------------------------------------------------------------------------------
    // The OCPP 1.6 payloads a station sends, as their JSON schemas define them, and one bound of ChargeLink's own: a
    // meter register (meterStart, meterStop) is never negative (PropertyConstraintViolation).
}
