using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChargeLink.Simulators;

/// <summary>
/// One frame of <see cref="FrameFuzzer"/>: <see cref="Text"/> or <see cref="Binary"/>; whether the gateway owes it exactly
/// one answer carrying the message id given to <see cref="FrameFuzzer.Next"/>; whether it must make the gateway close the
/// connection with MessageTooBig (1009).
/// </summary>
public sealed record FuzzFrame(string? Text, byte[]? Binary, bool ExpectsAnswer, bool ClosesConnection)
{
    /// <summary>The value of <see cref="Expected"/> for a frame that must be answered with a CALLRESULT.</summary>
    public const string CallResult = "CALLRESULT";

    /// <summary>
    /// The answer the frame must get where the version's rules settle it: <see cref="CallResult"/> or a CALLERROR code, as the version spells it;
    /// null where any well-formed answer will do (several mistakes at once, or values whose reading the rules leave open).
    /// </summary>
    public string? Expected { get; init; }
}

/// <summary>
/// Random and mutated OCPP-J frames for a station's connection, deterministic for a seed: valid and broken CALLs of every
/// action a station sends and of unknown ones, truncations, wrong JSON types, huge numbers, deep nesting, Unicode (astral
/// characters, combining marks, NUL, unpaired surrogates written as <c>\udfff</c> escapes in values, property names and
/// the message id), wrong message types, answers to CALLs never made, text that is not JSON, binary frames, frames at
/// the size cap and, now and then, beyond it. <see cref="FuzzFrame.ExpectsAnswer"/> is worked out from the frame as sent
/// (<see cref="OwesAnswer"/>), not from how it was made. For OCPP 2.0.1 and 2.1 (<paramref name="subprotocol"/>) the payloads
/// are 2.x's, as the OCA's schemas define them, and the codes 2.x's (OCPP-J 2.0.1 part 4, 4.3); 2.1's SEND and CALLRESULTERROR
/// are never answered.
/// </summary>
public sealed class FrameFuzzer(int seed, string subprotocol = FrameFuzzer.Ocpp16)
{
    public const string Ocpp16 = "ocpp1.6";
    public const string Ocpp201 = "ocpp2.0.1";
    public const string Ocpp21 = "ocpp2.1";

    /// <summary>The gateway's default frame cap (GatewayOptions.MaxFrameBytes): a frame above it closes the connection.</summary>
    public const int DefaultMaxFrameBytes = 64 * 1024;

    /// <summary>OCPP-J caps message ids at 36 characters (a UUID).</summary>
    public const int MaxMessageIdLength = 36;

    public const string FormationViolation = "FormationViolation";
    public const string ProtocolError = "ProtocolError";
    public const string PropertyConstraintViolation = "PropertyConstraintViolation";
    public const string TypeConstraintViolation = "TypeConstraintViolation";
    public const string OccurenceConstraintViolation = "OccurenceConstraintViolation";
    public const string NotImplemented = "NotImplemented";
    public const string NotSupported = "NotSupported";
    // OCPP-J 2.x's own.
    public const string FormatViolation = "FormatViolation";
    public const string OccurrenceConstraintViolation = "OccurrenceConstraintViolation";
    public const string MessageTypeNotSupported = "MessageTypeNotSupported";
    public const string RpcFrameworkError = "RpcFrameworkError";

    private readonly Random _random = new(seed);
    private readonly bool _v2 = subprotocol != Ocpp16;
    private IReadOnlyList<string> Actions => _v2 ? Station2Actions : StationActions;
    private Dictionary<string, Field[]> Schemas => _v2 ? (subprotocol == Ocpp21 ? Schemas21 : Schemas201) : Schemas16;

    /// <summary>About one frame in this many is larger than <see cref="MaxFrameBytes"/> (it closes the connection); 0 for never.</summary>
    public int OversizeOneIn { get; init; } = 2000;

    /// <summary>About one frame in this many is a CALL of exactly (or just under) <see cref="MaxFrameBytes"/> bytes; 0 for never.</summary>
    public int AtLimitOneIn { get; init; } = 500;

    /// <summary>The gateway's cap in bytes of UTF-8.</summary>
    public int MaxFrameBytes { get; init; } = DefaultMaxFrameBytes;

    /// <summary>The actions of OCPP 1.6 a charge point sends to a central system.</summary>
    public static IReadOnlyList<string> StationActions { get; } =
    [
        "BootNotification", "Heartbeat", "StatusNotification", "Authorize", "StartTransaction", "StopTransaction",
        "MeterValues", "DataTransfer", "DiagnosticsStatusNotification", "FirmwareStatusNotification",
    ];

    /// <summary>The actions of OCPP 2.0.1 and 2.1 a charging station sends that ChargeLink's flow takes.</summary>
    public static IReadOnlyList<string> Station2Actions { get; } =
    [
        "BootNotification", "Heartbeat", "StatusNotification", "Authorize", "TransactionEvent", "MeterValues", "NotifyEvent",
        "NotifyReport", "SecurityEventNotification", "FirmwareStatusNotification", "LogStatusNotification", "DataTransfer",
    ];

    /// <summary>
    /// A message id for the <paramref name="n"/>th frame: unique for a prefix, 1-36 characters of valid Unicode, now and
    /// then with an astral character, a combining mark, a NUL or at the 36-character limit.
    /// </summary>
    public static string MessageId(string prefix, int n)
    {
        var plain = prefix + n.ToString(CultureInfo.InvariantCulture);
        if (plain.Length > MaxMessageIdLength - 2)
            throw new ArgumentException($"\"{plain}\" leaves no room within {MaxMessageIdLength} characters", nameof(prefix));
        return (n % 13) switch
        {
            3 => plain + "\U0001F50C",
            5 => plain + "e\u0301",
            7 => plain + "\u0000",
            9 => plain.PadRight(MaxMessageIdLength, '-'),
            11 => "\u00e9" + plain,
            _ => plain,
        };
    }

    /// <summary>The next frame; a frame owed an answer is owed it with <paramref name="id"/>.</summary>
    public FuzzFrame Next(string id)
    {
        if (OversizeOneIn > 0 && _random.Next(OversizeOneIn) == 0)
            return Oversize(id);
        if (AtLimitOneIn > 0 && _random.Next(AtLimitOneIn) == 0)
            return AtLimit(id);
        return _random.Next(100) switch
        {
            < 38 => Call(id),
            < 45 => Truncated(id),
            < 50 => Nested(id),
            < 59 => Unicode(id),
            < 64 => HugeNumber(id),
            < 69 => WrongMessageType(id),
            < 74 => UnreadableId(id),
            < 79 => Answer(id),
            < 86 => Shape(id),
            < 93 => NotJson(id),
            _ => BinaryFrame(id),
        };
    }

    /// <summary>What is wrong with an answer: a CALLRESULT is [3, id, {...}], a CALLERROR [4, id, code, description, {...}].</summary>
    public static string? WhatIsWrong(JsonArray answer, string id, string? expected)
    {
        if (answer[1] is not JsonValue answerId || !answerId.TryGetValue<string>(out var echoed) || echoed != id)
            return "the answer carries another id";
        var type = answer[0] is JsonValue value && value.TryGetValue<int>(out var t) ? t : 0;
        if (type == 3 && (answer.Count != 3 || answer[2] is not JsonObject))
            return "a CALLRESULT is [3, id, {...}]";
        if (type == 4 && (answer.Count != 5 || answer[2] is not JsonValue || answer[3] is not JsonValue || answer[4] is not JsonObject))
            return "a CALLERROR is [4, id, code, description, {...}]";
        if (type is not (3 or 4))
            return "an answer is a CALLRESULT or a CALLERROR";
        var got = type == 3 ? FuzzFrame.CallResult : answer[2]!.ToString();
        return expected is null || expected == got ? null : $"expected {expected}, got {got}";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // What the gateway owes a frame, from its text alone.

    /// <summary>
    /// Whether the gateway owes <paramref name="text"/> exactly one answer: it parses as JSON (System.Text.Json's defaults,
    /// so no deeper than 64 levels), is an array, its element 1 is a string of 1-36 characters of valid Unicode, and its
    /// element 0 is not the number 3 or 4 (answers to CALLs the gateway never made get none).
    /// </summary>
    public static bool OwesAnswer(string text, string subprotocol = Ocpp16) => Judge(text, subprotocol).Owes;

    private readonly record struct Verdict(bool Owes, string? Code, bool ReachesHandler);

    private static readonly Verdict None = new(false, null, false);

    private static Verdict Judge(string text, string subprotocol)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return None;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
                return None;
            var count = root.GetArrayLength();
            if (count < 2)
                return None;
            if (root[1].ValueKind != JsonValueKind.String || !TryText(root[1], out var id) || id.Length == 0 || id.EnumerateRunes().Count() > MaxMessageIdLength)
                return None;
            var type = root[0].ValueKind == JsonValueKind.Number && root[0].TryGetInt32(out var t) ? t : (int?)null;
            // Answers, and in 2.1 SENDs and CALLRESULTERRORs, never get an answer.
            if (type is 3 or 4 || (subprotocol == Ocpp21 && type is 5 or 6))
                return None;
            // A payload that is no text is syntactically wrong; a frame that is no CALL is no RPC; a type the version lacks.
            if (!WellFormed(root))
                return new Verdict(true, Spell(FormatViolation, subprotocol), false);
            if (count < 3 || type is null)
                return new Verdict(true, Spell(RpcFrameworkError, subprotocol), false);
            if (type != 2)
                return new Verdict(true, Spell(MessageTypeNotSupported, subprotocol), false);
            if (count == 4 && root[2].ValueKind == JsonValueKind.String && root[3].ValueKind == JsonValueKind.Object)
                return new Verdict(true, null, true);
            if (count == 3 && root[2].ValueKind == JsonValueKind.String)
                return new Verdict(true, ProtocolError, false);
            return new Verdict(true, Spell(RpcFrameworkError, subprotocol), false);
        }
    }

    /// <summary>
    /// A code as the version spells it, from the standards: OCPP-J 1.6 (4.2.3) has FormationViolation for every frame gone
    /// wrong and misspells Occurrence; OCPP-J 2.0.1 (part 4, 4.3) has FormatViolation, RpcFrameworkError and
    /// MessageTypeNotSupported.
    /// </summary>
    public static string Spell(string code, string subprotocol) => subprotocol == Ocpp16
        ? code switch
        {
            FormatViolation or RpcFrameworkError or MessageTypeNotSupported => FormationViolation,
            OccurrenceConstraintViolation => OccurenceConstraintViolation,
            _ => code,
        }
        : code switch
        {
            FormationViolation => FormatViolation,
            OccurenceConstraintViolation => OccurrenceConstraintViolation,
            _ => code,
        };

    private static bool TryText(JsonElement element, out string text)
    {
        try
        {
            text = element.GetString()!;
            return IsWellFormed(text);
        }
        catch (InvalidOperationException)
        {
            // An escaped unpaired surrogate ("\udfff"): valid JSON, but no text.
            text = "";
            return false;
        }
    }

    private static bool WellFormed(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return TryText(element, out _);
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!WellFormed(item))
                        return false;
                }
                return true;
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return false;
                    }
                    if (!IsWellFormed(name) || !names.Add(name) || !WellFormed(property.Value))
                        return false;
                }
                return true;
            default:
                return true;
        }
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return false;
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Building frames.

    // Markers are written into a JsonNode as plain strings and replaced in its JSON text by what no JsonNode can hold:
    // unpaired surrogate escapes, raw characters the serializer would escape, raw numbers, deep nesting.
    private const string Lone = "@@lone", RawNul = "@@rawnul@@", RawAstral = "@@rawastral@@", Nest = "@@nest@@";

    private static readonly string[] LoneSurrogates = [@"\udfff", @"\ud83d", @"\udd0c\ud83d", @"a\ud800b", @"\ud83d\ud83d\udd0c"];

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private string Serialize(JsonNode node, string? nest = null)
    {
        var text = node.ToJsonString(_random.Next(3) == 0 ? Relaxed : null);
        for (var i = 0; i < LoneSurrogates.Length; i++)
            text = text.Replace($"{Lone}{i}@@", LoneSurrogates[i], StringComparison.Ordinal);
        text = text.Replace(RawNul, "\u0000", StringComparison.Ordinal).Replace(RawAstral, "\U0001F50C", StringComparison.Ordinal);
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
        var expected = !verdict.Owes ? null : verdict.Code ?? (verdict.ReachesHandler && byConstruction is not null ? Spell(byConstruction, subprotocol) : null);
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
            // The action decides before the payload is read: unknown is NotImplemented, a central system's is NotSupported.
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

    /// <summary>The answer once a property the schema does not define is added to a payload that would have got <paramref name="before"/>.</summary>
    private static string? AndUndefinedProperty(string? before) => before switch
    {
        FuzzFrame.CallResult => PropertyConstraintViolation,
        // The action decides before the payload is read.
        NotImplemented or NotSupported => before,
        _ => null,
    };

    private static readonly (string Action, string Code)[] UnknownActions =
    [
        ("NoSuchAction", NotImplemented), ("", NotImplemented), ("heartbeat", NotImplemented), ("HEARTBEAT", NotImplemented),
        ("Heartbeat ", NotImplemented), ("BootNotification\u0000", NotImplemented), ("\U0001F50C", NotImplemented),
        ("Authorize\u0301", NotImplemented), (new string('A', 300), NotImplemented),
        ("RemoteStartTransaction", NotSupported), ("Reset", NotSupported), ("GetConfiguration", NotSupported),
        ("SignCertificate", NotSupported), ("SecurityEventNotification", NotSupported),
    ];

    // In 2.x an action without a schema of the version is unknown (1.6's StartTransaction among them); one the central
    // system sends, or a station's that ChargeLink does not take, is not supported.
    private static readonly (string Action, string Code)[] UnknownActions2 =
    [
        ("NoSuchAction", NotImplemented), ("", NotImplemented), ("heartbeat", NotImplemented), ("StartTransaction", NotImplemented),
        ("StopTransaction", NotImplemented), ("Heartbeat ", NotImplemented), ("🔌", NotImplemented), (new string('A', 300), NotImplemented),
        ("RequestStartTransaction", NotSupported), ("Reset", NotSupported), ("GetVariables", NotSupported), ("SignCertificate", NotSupported),
    ];

    // ---------------------------------------------------------------------------------------------------------------
    // The OCPP 1.6 payloads a station sends, as their JSON schemas define them, and one bound of ChargeLink's own: a meter
    // register (meterStart, meterStop) is never negative (PropertyConstraintViolation).

    private enum Kind
    {
        Int,
        Text,
        Enum,
        Date,
        Number,
        Object,
        Objects,
        // Any JSON value at all (2.x's DataTransfer data).
        Any,
    }

    /// <param name="Of">For <see cref="Kind.Object"/>, its fields; for <see cref="Kind.Objects"/>, each element's.</param>
    private sealed record Field(string Name, Kind Kind, bool Required, int Max = 0, int Min = int.MinValue, string[]? Values = null, bool NonEmpty = false, Field[]? Of = null);

    private static readonly string[] ConnectorStatuses = ["Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV", "Finishing", "Reserved", "Unavailable", "Faulted"];

    private static readonly string[] ErrorCodes =
    [
        "ConnectorLockFailure", "EVCommunicationError", "GroundFailure", "HighTemperature", "InternalError", "LocalListConflict", "NoError",
        "OtherError", "OverCurrentFailure", "PowerMeterFailure", "PowerSwitchFailure", "ReaderFailure", "ResetFailure", "UnderVoltage",
        "OverVoltage", "WeakSignal",
    ];

    private static readonly string[] StopReasons = ["EmergencyStop", "EVDisconnected", "HardReset", "Local", "Other", "PowerLoss", "Reboot", "Remote", "SoftReset", "UnlockCommand", "DeAuthorized"];

    private static readonly Field[] SampledValueSchema =
    [
        new("value", Kind.Text, true, Max: int.MaxValue),
        new("context", Kind.Enum, false, Values: ["Interruption.Begin", "Interruption.End", "Sample.Clock", "Sample.Periodic", "Transaction.Begin", "Transaction.End", "Trigger", "Other"]),
        new("format", Kind.Enum, false, Values: ["Raw", "SignedData"]),
        new("measurand", Kind.Enum, false, Values: ["Energy.Active.Import.Register", "Energy.Active.Export.Register", "Power.Active.Import", "Current.Import", "Voltage", "SoC", "Temperature"]),
        new("phase", Kind.Enum, false, Values: ["L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"]),
        new("location", Kind.Enum, false, Values: ["Cable", "EV", "Inlet", "Outlet", "Body"]),
        new("unit", Kind.Enum, false, Values: ["Wh", "kWh", "varh", "kvarh", "W", "kW", "VA", "kVA", "var", "kvar", "A", "V", "K", "Celsius", "Fahrenheit", "Percent"]),
    ];

    private static readonly Field[] MeterValueSchema = [new("timestamp", Kind.Date, true), new("sampledValue", Kind.Objects, true, NonEmpty: true, Of: SampledValueSchema)];

    private static readonly Dictionary<string, Field[]> Schemas16 = new(StringComparer.Ordinal)
    {
        ["BootNotification"] =
        [
            new("chargePointVendor", Kind.Text, true, Max: 20), new("chargePointModel", Kind.Text, true, Max: 20),
            new("chargePointSerialNumber", Kind.Text, false, Max: 25), new("chargeBoxSerialNumber", Kind.Text, false, Max: 25),
            new("firmwareVersion", Kind.Text, false, Max: 50), new("iccid", Kind.Text, false, Max: 20), new("imsi", Kind.Text, false, Max: 20),
            new("meterType", Kind.Text, false, Max: 25), new("meterSerialNumber", Kind.Text, false, Max: 25),
        ],
        ["Heartbeat"] = [],
        ["StatusNotification"] =
        [
            new("connectorId", Kind.Int, true, Min: 0), new("errorCode", Kind.Enum, true, Values: ErrorCodes),
            new("status", Kind.Enum, true, Values: ConnectorStatuses), new("timestamp", Kind.Date, false),
            new("info", Kind.Text, false, Max: 50), new("vendorId", Kind.Text, false, Max: 255), new("vendorErrorCode", Kind.Text, false, Max: 50),
        ],
        ["Authorize"] = [new("idTag", Kind.Text, true, Max: 20)],
        ["StartTransaction"] =
        [
            new("connectorId", Kind.Int, true, Min: 1), new("idTag", Kind.Text, true, Max: 20), new("meterStart", Kind.Int, true, Min: 0),
            new("timestamp", Kind.Date, true), new("reservationId", Kind.Int, false),
        ],
        ["StopTransaction"] =
        [
            new("transactionId", Kind.Int, true), new("meterStop", Kind.Int, true, Min: 0), new("timestamp", Kind.Date, true),
            new("idTag", Kind.Text, false, Max: 20), new("reason", Kind.Enum, false, Values: StopReasons),
            new("transactionData", Kind.Objects, false, Of: MeterValueSchema),
        ],
        ["MeterValues"] =
        [
            new("connectorId", Kind.Int, true, Min: 0), new("transactionId", Kind.Int, false),
            new("meterValue", Kind.Objects, true, NonEmpty: true, Of: MeterValueSchema),
        ],
        ["DataTransfer"] = [new("vendorId", Kind.Text, true, Max: 255), new("messageId", Kind.Text, false, Max: 50), new("data", Kind.Text, false, Max: int.MaxValue)],
        ["DiagnosticsStatusNotification"] = [new("status", Kind.Enum, true, Values: ["Idle", "Uploaded", "UploadFailed", "Uploading"])],
        ["FirmwareStatusNotification"] =
        [
            new("status", Kind.Enum, true, Values: ["Downloaded", "DownloadFailed", "Downloading", "Idle", "InstallationFailed", "Installing", "Installed"]),
        ],
    };

    // ---------------------------------------------------------------------------------------------------------------
    // The OCPP 2.0.1 and 2.1 payloads a station sends, as the OCA's schemas define them (the parts a fuzz needs; every
    // object is closed, additionalProperties: false). Minimums are the standard's; 2.0.1's schemas state few of them,
    // 2.1's more: where they differ, each version gets its own.

    private static readonly Field[] SampledValue2 =
    [
        new("value", Kind.Number, true),
        new("context", Kind.Enum, false, Values: ["Interruption.Begin", "Interruption.End", "Other", "Sample.Clock", "Sample.Periodic", "Transaction.Begin", "Transaction.End", "Trigger"]),
        new("measurand", Kind.Enum, false, Values: ["Energy.Active.Import.Register", "Energy.Active.Export.Register", "Power.Active.Import", "Current.Import", "Voltage", "SoC"]),
        new("phase", Kind.Enum, false, Values: ["L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"]),
        new("location", Kind.Enum, false, Values: ["Body", "Cable", "EV", "Inlet", "Outlet"]),
        new("unitOfMeasure", Kind.Object, false, Of: [new("unit", Kind.Text, false, Max: 20), new("multiplier", Kind.Int, false)]),
    ];

    private static readonly Field[] MeterValue2 = [new("timestamp", Kind.Date, true), new("sampledValue", Kind.Objects, true, NonEmpty: true, Of: SampledValue2)];

    private static readonly string[] IdTokenTypes201 = ["Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization"];

    private static readonly Dictionary<string, Field[]> Schemas201 = Schemas2(v21: false);
    private static readonly Dictionary<string, Field[]> Schemas21 = Schemas2(v21: true);

    private static Dictionary<string, Field[]> Schemas2(bool v21)
    {
        // 2.1's idToken type is free text of 20 characters; its token 255 characters.
        Field[] idToken = v21
            ? [new("idToken", Kind.Text, true, Max: 255), new("type", Kind.Text, true, Max: 20)]
            : [new("idToken", Kind.Text, true, Max: 36), new("type", Kind.Enum, true, Values: IdTokenTypes201)];
        var zeroOrMore = v21 ? 0 : int.MinValue;
        Field[] evse = [new("id", Kind.Int, true, Min: zeroOrMore), new("connectorId", Kind.Int, false, Min: zeroOrMore)];
        return new(StringComparer.Ordinal)
        {
            ["BootNotification"] =
            [
                new("chargingStation", Kind.Object, true, Of:
                [
                    new("model", Kind.Text, true, Max: 20), new("vendorName", Kind.Text, true, Max: 50), new("serialNumber", Kind.Text, false, Max: 25),
                    new("firmwareVersion", Kind.Text, false, Max: 50), new("modem", Kind.Object, false, Of: [new("iccid", Kind.Text, false, Max: 20), new("imsi", Kind.Text, false, Max: 20)]),
                ]),
                new("reason", Kind.Enum, true, Values: ["ApplicationReset", "FirmwareUpdate", "LocalReset", "PowerUp", "RemoteReset", "ScheduledReset", "Triggered", "Unknown", "Watchdog"]),
            ],
            ["Heartbeat"] = [],
            ["StatusNotification"] =
            [
                new("timestamp", Kind.Date, true), new("connectorStatus", Kind.Enum, true, Values: ["Available", "Occupied", "Reserved", "Unavailable", "Faulted"]),
                new("evseId", Kind.Int, true, Min: 0), new("connectorId", Kind.Int, true, Min: 0),
            ],
            ["Authorize"] = [new("idToken", Kind.Object, true, Of: idToken)],
            ["TransactionEvent"] =
            [
                new("eventType", Kind.Enum, true, Values: ["Ended", "Started", "Updated"]), new("timestamp", Kind.Date, true),
                new("triggerReason", Kind.Enum, true, Values: ["Authorized", "CablePluggedIn", "ChargingStateChanged", "EVDetected", "EVDeparted", "MeterValuePeriodic", "RemoteStart", "RemoteStop", "StopAuthorized"]),
                new("seqNo", Kind.Int, true, Min: 0),
                new("transactionInfo", Kind.Object, true, Of:
                [
                    new("transactionId", Kind.Text, true, Max: 36), new("chargingState", Kind.Enum, false, Values: ["Charging", "EVConnected", "SuspendedEV", "SuspendedEVSE", "Idle"]),
                    new("timeSpentCharging", Kind.Int, false), new("stoppedReason", Kind.Enum, false, Values: ["DeAuthorized", "EVDisconnected", "Local", "Other", "PowerLoss", "Remote", "StoppedByEV"]),
                    new("remoteStartId", Kind.Int, false),
                ]),
                new("evse", Kind.Object, false, Of: evse), new("idToken", Kind.Object, false, Of: idToken),
                new("meterValue", Kind.Objects, false, NonEmpty: true, Of: MeterValue2), new("reservationId", Kind.Int, false, Min: zeroOrMore),
            ],
            ["MeterValues"] = [new("evseId", Kind.Int, true, Min: zeroOrMore), new("meterValue", Kind.Objects, true, NonEmpty: true, Of: MeterValue2)],
            ["NotifyEvent"] =
            [
                new("generatedAt", Kind.Date, true), new("seqNo", Kind.Int, true, Min: zeroOrMore),
                new("eventData", Kind.Objects, true, NonEmpty: true, Of:
                [
                    new("eventId", Kind.Int, true, Min: zeroOrMore), new("timestamp", Kind.Date, true), new("trigger", Kind.Enum, true, Values: ["Alerting", "Delta", "Periodic"]),
                    new("actualValue", Kind.Text, true, Max: 2500),
                    new("eventNotificationType", Kind.Enum, true, Values: ["HardWiredNotification", "HardWiredMonitor", "PreconfiguredMonitor", "CustomMonitor"]),
                    new("component", Kind.Object, true, Of: [new("name", Kind.Text, true, Max: 50), new("instance", Kind.Text, false, Max: 50), new("evse", Kind.Object, false, Of: evse)]),
                    new("variable", Kind.Object, true, Of: [new("name", Kind.Text, true, Max: 50), new("instance", Kind.Text, false, Max: 50)]),
                ]),
            ],
            ["NotifyReport"] = [new("requestId", Kind.Int, true), new("generatedAt", Kind.Date, true), new("seqNo", Kind.Int, true, Min: zeroOrMore)],
            ["SecurityEventNotification"] = [new("type", Kind.Text, true, Max: 50), new("timestamp", Kind.Date, true), new("techInfo", Kind.Text, false, Max: 255)],
            ["FirmwareStatusNotification"] =
            [
                new("status", Kind.Enum, true, Values: ["Downloaded", "DownloadFailed", "Downloading", "DownloadScheduled", "DownloadPaused", "Idle", "InstallationFailed", "Installing", "Installed", "InstallRebooting", "InstallScheduled", "InstallVerificationFailed", "InvalidSignature", "SignatureVerified"]),
                new("requestId", Kind.Int, false),
            ],
            ["LogStatusNotification"] =
            [
                new("status", Kind.Enum, true, Values: ["BadMessage", "Idle", "NotSupportedOperation", "PermissionDenied", "Uploaded", "UploadFailure", "Uploading", "AcceptedCanceled"]),
                new("requestId", Kind.Int, false),
            ],
            ["DataTransfer"] = [new("vendorId", Kind.Text, true, Max: 255), new("messageId", Kind.Text, false, Max: 50), new("data", Kind.Any, false)],
        };
    }

    private JsonObject Valid(Field[] schema)
    {
        var payload = new JsonObject();
        foreach (var field in schema)
        {
            if (field.Required || _random.Next(3) == 0)
                payload[field.Name] = ValidValue(field);
        }
        return payload;
    }

    private JsonNode ValidValue(Field field) => field.Kind switch
    {
        Kind.Int when field.Name is "connectorId" or "evseId" or "id" => _random.Next(Math.Max(field.Min, 0), 13),
        Kind.Int => _random.Next(Math.Max(field.Min, 0), 1_000_000),
        Kind.Text when field.Name == "value" => _random.Next(1_000_000).ToString(CultureInfo.InvariantCulture),
        Kind.Text => SomeText(1 + _random.Next(Math.Min(field.Max, 24))),
        Kind.Any => SomeText(1 + _random.Next(24)),
        Kind.Enum => field.Values![_random.Next(field.Values.Length)],
        Kind.Date => SomeDate(),
        Kind.Number => _random.Next(3) == 0 ? Math.Round(_random.NextDouble() * 100_000, 3) : _random.Next(1_000_000),
        Kind.Object => Valid(field.Of!),
        _ => new JsonArray([.. Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => (JsonNode)Valid(field.Of!))]),
    };

    private static readonly string[] TextPieces = ["\u0000", "\u00e9", "\U0001F50C", "e\u0301", "\u4e2d", "\u200d", "\u202e", "\ufeff", "\uffff", "\u0627", " ", "\"", "\\", "<", "\n"];

    /// <summary>Text of exactly <paramref name="codePoints"/> characters (Unicode code points), mostly ASCII.</summary>
    private string SomeText(int codePoints)
    {
        var text = new StringBuilder();
        for (var i = 0; i < codePoints; i++)
        {
            var piece = _random.Next(8) == 0 ? TextPieces[_random.Next(TextPieces.Length)] : ((char)('A' + _random.Next(26))).ToString();
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
        var at = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(_random.NextInt64(0, 30L * 365 * 86400));
        return _random.Next(4) switch
        {
            0 => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            1 => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            2 => at.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            _ => at.ToOffset(TimeSpan.FromMinutes(-330)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
        };
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Mistakes in a payload: each returns the answer it gets on an otherwise valid payload, or null when that is open.

    private static readonly string[] OddNames = ["extra", "x", "", " ", "\U0001F50C", "e\u0301", "a\u0000b", "\u202e", "__proto__", "$type"];

    private static readonly string[] BadDates =
    [
        "2026-13-45T99:99:99Z", "2026-11-24T10:00:00", "2026-11-24", "24/11/2026 10:00", "", "now", "2026-11-24T10:00:00+25:00",
        "\u0662\u0660\u0662\u0666-11-24T10:00:00Z", "2026-02-30T10:00:00Z", "2026-11-24T10:00:00.1234567890Z",
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
            case 4 when field.Kind == Kind.Objects && payload[field.Name] is JsonArray { Count: > 0 } entries
                && entries[_random.Next(entries.Count)] is JsonObject entry:
                // Inside one of the elements (a MeterValue, one of its SampledValues, an event).
                return Mutate(field.Of!, entry);
            case 4 when field.Kind == Kind.Object && payload[field.Name] is JsonObject inner:
                return Mutate(field.Of!, inner);
            case 5 when field.Kind == Kind.Text && field.Max < int.MaxValue:
                // Lengths count code points: exactly the limit in astral characters fits; one more does not.
                var over = _random.Next(2);
                payload[field.Name] = string.Concat(Enumerable.Repeat(_random.Next(2) == 0 ? "\U0001F50C" : "\u00e9", field.Max + over));
                return over == 0 ? FuzzFrame.CallResult : PropertyConstraintViolation;
            default:
                payload[field.Name] = Odd();
                return payload[field.Name] is null ? TypeConstraintViolation : null;
        }
    }

    private string Flip(string name) => _random.Next(3) switch
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
            _ => [1, 0, true, new JsonArray("Available"), new JsonObject { ["value"] = "x" }, 1e300],
        };
        return candidates[_random.Next(candidates.Length)].DeepClone();
    }

    private string? OutOfDomain(Field field, JsonObject payload)
    {
        switch (field.Kind)
        {
            case Kind.Int when field.Min > int.MinValue:
                payload[field.Name] = field.Min - 1 - _random.Next(3);
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
                // 1.6 reads a timestamp as a type of its own; 2.x's schemas as a string of format date-time, where ten
                // digits of a second are valid RFC 3339 and what then becomes of them is left open.
                return !_v2 ? TypeConstraintViolation : bad.Contains(".1234567890", StringComparison.Ordinal) ? null : PropertyConstraintViolation;
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
        null, true, false, -1, 0, 2147483648, 1e300, 1.5, "", new string('x', 600), "Preparing", "2026-13-45T99:99:99Z", "\u00fcn\u00efc\u00f8d\u00e9 \u0000",
        "\U0001F50C\U0001F50C", "e\u0301", "\u0000", new JsonArray(), new JsonObject(), new JsonArray(1, "two", new JsonObject()),
        new JsonObject { ["connectorId"] = 1 },
    ];

    private JsonNode? Odd() => OddValues[_random.Next(OddValues.Length)]?.DeepClone();

    // ---------------------------------------------------------------------------------------------------------------
    // The other kinds of frame.

    // Valid frames cut short: the text at a random point, or the array after an element.
    private FuzzFrame Truncated(string id)
    {
        var (action, payload, _) = Payload();
        var text = Serialize(CallFrame(id, action, payload));
        return _random.Next(4) switch
        {
            0 => TextFrame(_random.Next(2) == 0 ? new JsonArray(2, id, action).ToJsonString() : new JsonArray(2, id).ToJsonString()),
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
        ("1e308", null, true), ("-1e308", null, true), ("1e309", null, true), ("-9223372036854775809", null, true), ("9223372036854775808", null, true),
        ("99999999999999999999", null, true), ("2147483648", null, true), ("-2147483649", null, true), ("2147483647", int.MaxValue, true),
        ("-2147483648", int.MinValue, true), ("1.5", null, false), ("0.1e1", 1, true), ("-0", 0, true), ("1E2", 100, true), ("2.0", 2, true),
        // Beyond a double's precision: a validator that reads numbers as doubles (JSON Schema's usual) sees a whole number.
        ("123456789012345678901234567890.5", null, true),
    ];

    private static readonly string[] HugeNumberStrings = ["1e308", "99999999999999999999", "79228162514264337593543950335", "-9223372036854775809", "NaN", "Infinity", "1e-7", "0x10"];

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
                // An integer, as JSON Schema reads one, is a number without a fraction: 2.0 and 1E2 are; 32 bits in OCPP.
                var field = ints[_random.Next(ints.Count)];
                payload[field.Name] = number;
                // 2.x's schemas set no width: a whole number beyond 32 bits passes them, and what then becomes of it is open.
                return TextFrame(Serialize(frame), int32 is { } value ? (value < field.Min ? PropertyConstraintViolation : FuzzFrame.CallResult)
                    : !_v2 || !whole ? TypeConstraintViolation : null);
            case 1 when schema.Any(f => f.Kind is Kind.Text or Kind.Enum or Kind.Date):
                var texts = schema.Where(f => f.Kind is Kind.Text or Kind.Enum or Kind.Date).ToList();
                payload[texts[_random.Next(texts.Count)].Name] = number;
                return TextFrame(Serialize(frame), TypeConstraintViolation);
            case 2 when _v2:
                // As a sampled value, a JSON number in 2.x: any number is valid as the schema goes.
                var reading = new JsonObject
                {
                    ["timestamp"] = SomeDate(),
                    ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = number, ["unitOfMeasure"] = new JsonObject { ["unit"] = _random.Next(2) == 0 ? "kWh" : "Wh" } }),
                };
                return TextFrame(Serialize(CallFrame(id, "MeterValues", new JsonObject { ["evseId"] = 1, ["meterValue"] = new JsonArray(reading) })), FuzzFrame.CallResult);
            case 2:
                // As a sampled value's text, in Wh or kWh: a string, valid as the schema goes.
                var samples = new JsonObject
                {
                    ["timestamp"] = SomeDate(),
                    ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = HugeNumberStrings[_random.Next(HugeNumberStrings.Length)], ["unit"] = _random.Next(2) == 0 ? "kWh" : "Wh" }),
                };
                var meter = action == "StopTransaction" ? Valid(Schemas["StopTransaction"]) : Valid(Schemas["MeterValues"]);
                meter[action == "StopTransaction" ? "transactionData" : "meterValue"] = new JsonArray(samples);
                return TextFrame(Serialize(CallFrame(id, action == "StopTransaction" ? "StopTransaction" : "MeterValues", meter)), FuzzFrame.CallResult);
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

    private static readonly string[] WrongTypes = ["0", "1", "5", "6", "-1", "2147483648", "\"2\"", "\"\"", "2.0", "2e0", "1e308", "null", "true", "[]", "{}", "[2]"];

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
                var twice = $"{{{JsonSerializer.Serialize(name)}:{value?.ToJsonString() ?? "null"},{payload.ToJsonString()[1..]}";
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
        return TextFrame(_random.Next(16) switch
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
        });
    }

    // Binary frames are not OCPP-J: dropped, and the connection stays.
    private FuzzFrame BinaryFrame(string id)
    {
        var bytes = _random.Next(4) switch
        {
            0 => [],
            1 => Encoding.UTF8.GetBytes(new JsonArray(2, id, "StatusNotification", new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = "Preparing" }).ToJsonString()),
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
        var empty = new JsonArray(2, id, "DataTransfer", new JsonObject { ["vendorId"] = "fuzz", ["data"] = prefix }).ToJsonString();
        var missing = bytes - Encoding.UTF8.GetByteCount(empty);
        var text = new JsonArray(2, id, "DataTransfer", new JsonObject { ["vendorId"] = "fuzz", ["data"] = prefix + new string('x', Math.Max(0, missing)) }).ToJsonString();
        return text;
    }

    private byte[] RandomBytes(int min, int max)
    {
        var bytes = new byte[_random.Next(min, max)];
        _random.NextBytes(bytes);
        return bytes;
    }
}
