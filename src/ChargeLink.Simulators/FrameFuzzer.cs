namespace ChargeLink.Simulators;

/// <summary>
/// Random and mutated OCPP-J frames for a station's connection, deterministic for a seed: valid and broken CALLs of
/// every action a station sends and of unknown ones, truncations, wrong JSON types, huge numbers, deep nesting, Unicode
/// (astral characters, combining marks, NUL, unpaired surrogates written as <c>\udfff</c> escapes in values, property
/// names and the message id), wrong message types, answers to CALLs never made, text that is not JSON, binary frames,
/// frames at the size cap and, now and then, beyond it. <see cref="FuzzFrame.ExpectsAnswer"/> is worked out from the
/// frame as sent (<see cref="OwesAnswer"/>), not from how it was made. For OCPP 2.0.1 and 2.1 (<paramref
/// name="subprotocol"/>) the payloads are 2.x's, as the OCA's schemas define them, and the codes 2.x's (OCPP-J 2.0.1
/// part 4, 4.3); 2.1's SEND and CALLRESULTERROR are never answered.
/// </summary>
public sealed partial class FrameFuzzer(int seed, string subprotocol = FrameFuzzer.Ocpp16)
{
    public const string Ocpp16 = "ocpp1.6";
    public const string Ocpp201 = "ocpp2.0.1";
    public const string Ocpp21 = "ocpp2.1";

    /// <summary>The gateway's default frame cap (GatewayOptions.MaxFrameBytes): a frame above it closes the
    /// connection.</summary>
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
    private Dictionary<string, Field[]> Schemas => SchemasOf(subprotocol);

    /// <summary>About one frame in this many is larger than <see cref="MaxFrameBytes"/> (it closes the connection); 0
    /// for never.</summary>
    public int OversizeOneIn { get; init; } = 2000;

    /// <summary>About one frame in this many is a CALL of exactly (or just under) <see cref="MaxFrameBytes"/> bytes; 0
    /// for never.</summary>
    public int AtLimitOneIn { get; init; } = 500;

    /// <summary>The gateway's cap in bytes of UTF-8.</summary>
    public int MaxFrameBytes { get; init; } = DefaultMaxFrameBytes;

    /// <summary>The actions of OCPP 1.6 a charge point sends to a central system.</summary>
    public static IReadOnlyList<string> StationActions { get; } =
    [
        "BootNotification",
        "Heartbeat",
        "StatusNotification",
        "Authorize",
        "StartTransaction",
        "StopTransaction",
        "MeterValues",
        "DataTransfer",
        "DiagnosticsStatusNotification",
        "FirmwareStatusNotification",
    ];

    /// <summary>The actions of OCPP 2.0.1 and 2.1 a charging station sends that ChargeLink's flow takes.</summary>
    public static IReadOnlyList<string> Station2Actions { get; } =
    [
        "BootNotification",
        "Heartbeat",
        "StatusNotification",
        "Authorize",
        "TransactionEvent",
        "MeterValues",
        "NotifyEvent",
        "NotifyReport",
        "SecurityEventNotification",
        "FirmwareStatusNotification",
        "LogStatusNotification",
        "DataTransfer",
    ];

    /// <summary>
    /// A message id for the <paramref name="n"/>th frame: unique for a prefix, 1-36 characters of valid Unicode, now
    /// and then with an astral character, a combining mark, a NUL or at the 36-character limit.
    /// </summary>
    public static string MessageId(string prefix, int n)
    {
        var plain = prefix + n.ToString(CultureInfo.InvariantCulture);
        if (plain.Length > MaxMessageIdLength - 2)
            throw new ArgumentException(
                $"\"{plain}\" leaves no room within {MaxMessageIdLength} characters",
                nameof(prefix)
            );
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
}
