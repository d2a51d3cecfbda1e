using System.Text.Json;

namespace ChargeLink.Gateway.Ocpp;

/// <summary>
/// One OCPP-J RPC frame: CALL [2,id,action,payload], CALLRESULT [3,id,payload], CALLERROR
/// [4,id,code,description,details];
/// OCPP 2.1 adds CALLRESULTERROR [5,id,code,description,details] (the answer to a CALLRESULT its receiver could not
/// take) and SEND [6,id,action,payload] (a CALL that gets no answer).
/// </summary>
public abstract record OcppFrame(string MessageId)
{
    public const int CallType = 2;
    public const int CallResultType = 3;
    public const int CallErrorType = 4;
    public const int CallResultErrorType = 5;
    public const int SendType = 6;

    // The standard caps message ids at 36 characters (a UUID).
    public const int MaxMessageIdLength = 36;

    // OCPP 2.x caps a CALLERROR's description at 255 characters.
    public const int MaxDescriptionLength = 255;

    // How much of a station's own text (an action name, a description) a log line or an answer repeats: a station
    // chooses its length, up to the frame's size, and must not choose ours.
    public const int MaxQuotedLength = 64;

    public abstract string Serialize();

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters, an ellipsis marking the cut, never
    /// between the two halves of a surrogate pair.</summary>
    public static string Clip(string text, int max = MaxQuotedLength)
    {
        if (text.Length <= max)
            return text;
        var keep = char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1;
        return string.Concat(text.AsSpan(0, keep), "…");
    }
}

public sealed record OcppCall(string MessageId, string Action, JsonObject Payload) : OcppFrame(MessageId)
{
    public override string Serialize() =>
        new JsonArray(CallType, MessageId, Action, Payload.DeepClone()).ToJsonString();
}

public sealed record OcppCallResult(string MessageId, JsonObject Payload) : OcppFrame(MessageId)
{
    public override string Serialize() => new JsonArray(CallResultType, MessageId, Payload.DeepClone()).ToJsonString();
}

public sealed record OcppCallError(string MessageId, string ErrorCode, string Description, JsonObject? Details = null)
    : OcppFrame(MessageId)
{
    public string Description { get; init; } = Clip(Description, MaxDescriptionLength);

    public override string Serialize() =>
        new JsonArray(
            CallErrorType,
            MessageId,
            ErrorCode,
            Description,
            Details?.DeepClone() ?? new JsonObject()
        ).ToJsonString();
}

/// <summary>OCPP 2.1's SEND: like a CALL, but never answered.</summary>
public sealed record OcppSend(string MessageId, string Action, JsonObject Payload) : OcppFrame(MessageId)
{
    /// <summary>The actions 2.1 sends as a SEND.</summary>
    public static readonly IReadOnlySet<string> Actions = new HashSet<string>(StringComparer.Ordinal)
    {
        "NotifyPeriodicEventStream",
    };

    public override string Serialize() =>
        new JsonArray(SendType, MessageId, Action, Payload.DeepClone()).ToJsonString();
}

/// <summary>OCPP 2.1's CALLRESULTERROR: the station could not take one of our CALLRESULTs. Never answered.</summary>
public sealed record OcppCallResultError(string MessageId, string ErrorCode, string Description) : OcppFrame(MessageId)
{
    public override string Serialize() =>
        new JsonArray(CallResultErrorType, MessageId, ErrorCode, Description, new JsonObject()).ToJsonString();
}

/// <summary>
/// What parsing a text frame gave: a frame; or the CALLERROR to answer with; or, where no answer is
/// possible (no readable id, or a broken CALLRESULT/CALLERROR, which are never answered), why it was dropped.
/// </summary>
public readonly record struct ParsedFrame(OcppFrame? Frame, OcppCallError? Error, string? Dropped);

public static class OcppFrameParser
{
    /// <summary>
    /// Reads a text frame of a connection of <paramref name="subprotocol"/>. A frame that is no RPC with a readable id
    /// gets RpcFrameworkError, one of a type the version lacks MessageTypeNotSupported (see <see
    /// cref="OcppErrorCode.Spelled"/> for 1.6's words); answers, and in 2.1 SENDs and CALLRESULTERRORs, are never
    /// answered, even when malformed.
    /// </summary>
    public static ParsedFrame Parse(string text, string subprotocol = OcppVersion.V16)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            return Unreadable($"not JSON: {e.Message}");
        }

        if (root is not JsonArray array || array.Count < 2)
            return Unreadable("an OCPP-J frame is a JSON array [MessageTypeId, MessageId, ...]");
        if (
            array[1] is not JsonValue idValue
            || !TryString(idValue, out var messageId)
            || messageId.Length == 0
            || PayloadReader.CodePoints(messageId) > OcppFrame.MaxMessageIdLength
        )
            return Unreadable(
                $"the MessageId must be a string of 1-{OcppFrame.MaxMessageIdLength} characters of valid Unicode"
            );
        // A lone surrogate (say "\udfff") is valid JSON syntax but no text: it can be neither stored nor echoed back.
        // An answer to one of our CALLs is never answered, even when malformed; anything else with a readable id is.
        var v21 = subprotocol == OcppVersion.V21;
        var type = TypeOf(array);
        var isAnswer =
            type is OcppFrame.CallResultType or OcppFrame.CallErrorType
            || (v21 && type is OcppFrame.CallResultErrorType or OcppFrame.SendType);
        if (!WellFormed(array))
        {
            const string why =
                "the frame holds a string that is not valid Unicode (an unpaired surrogate) or a "
                + "repeated property name";
            return isAnswer
                ? Unreadable($"frame {messageId}: {why}")
                : Error(messageId, OcppErrorCode.FormatViolation, why);
        }
        if (array.Count < 3)
            return isAnswer
                ? Unreadable($"malformed frame {messageId} of type {type}")
                : Error(messageId, OcppErrorCode.RpcFrameworkError, "a CALL is [2, MessageId, Action, Payload]");
        if (type is not { } messageType)
            return Error(
                messageId,
                OcppErrorCode.RpcFrameworkError,
                "the MessageTypeId must be an integer (2 for a CALL)"
            );

        return messageType switch
        {
            OcppFrame.CallType
                when array.Count == 4 && array[2] is JsonValue action && action.TryGetValue<string>(out var name) =>
                array[3] is JsonObject payload
                    ? new ParsedFrame(new OcppCall(messageId, name, Detach(payload)), null, null)
                    : Error(messageId, OcppErrorCode.RpcFrameworkError, "a CALL's payload must be a JSON object"),
            // The standard's ProtocolError is "payload for action is incomplete": a CALL that stops after its action.
            OcppFrame.CallType when array.Count == 3 && array[2] is JsonValue bare && bare.TryGetValue<string>(out _) =>
                Error(
                    messageId,
                    OcppErrorCode.ProtocolError,
                    "the CALL has no payload: [2, MessageId, Action, Payload]"
                ),
            OcppFrame.CallType => Error(
                messageId,
                OcppErrorCode.RpcFrameworkError,
                "a CALL is [2, MessageId, Action, Payload]"
            ),
            OcppFrame.CallResultType when array.Count == 3 && array[2] is JsonObject payload => new ParsedFrame(
                new OcppCallResult(messageId, Detach(payload)),
                null,
                null
            ),
            OcppFrame.CallErrorType
                when array.Count >= 4 && array[2] is JsonValue code && code.TryGetValue<string>(out var errorCode) =>
                new ParsedFrame(
                    new OcppCallError(
                        messageId,
                        errorCode,
                        (array[3] as JsonValue)?.ToString() ?? "",
                        array.Count > 4 ? array[4] as JsonObject : null
                    ),
                    null,
                    null
                ),
            OcppFrame.CallResultType or OcppFrame.CallErrorType => new ParsedFrame(
                null,
                null,
                $"malformed {(messageType == OcppFrame.CallResultType ? "CALLRESULT" : "CALLERROR")} for {messageId}"
            ),
            // Frames of 2.1 only.
            OcppFrame.SendType
                when v21
                    && array.Count == 4
                    && array[2] is JsonValue sent
                    && sent.TryGetValue<string>(out var sendName)
                    && array[3] is JsonObject sendPayload => new ParsedFrame(
                new OcppSend(messageId, sendName, Detach(sendPayload)),
                null,
                null
            ),
            OcppFrame.CallResultErrorType
                when v21
                    && array.Count >= 4
                    && array[2] is JsonValue resultErrorCode
                    && resultErrorCode.TryGetValue<string>(out var resultError) => new ParsedFrame(
                new OcppCallResultError(messageId, resultError, (array[3] as JsonValue)?.ToString() ?? ""),
                null,
                null
            ),
            OcppFrame.SendType or OcppFrame.CallResultErrorType when v21 => new ParsedFrame(
                null,
                null,
                $"malformed frame {messageId} of type {messageType}"
            ),
            _ => Error(messageId, OcppErrorCode.MessageTypeNotSupported, $"unknown MessageTypeId {messageType}"),
        };
    }

    private static int? TypeOf(JsonArray array) =>
        array[0] is JsonValue value && value.TryGetValue<int>(out var type) ? type : null;

    private static bool TryString(JsonValue value, out string text)
    {
        text = "";
        try
        {
            if (value.GetValueKind() != JsonValueKind.String)
                return false;
            text = value.GetValue<string>();
            return IsWellFormed(text);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to unescape a lone surrogate.
            return false;
        }
    }

    private static bool WellFormed(JsonNode? node)
    {
        try
        {
            return node switch
            {
                JsonObject o => o.All(p => IsWellFormed(p.Key) && WellFormed(p.Value)),
                JsonArray a => a.All(WellFormed),
                JsonValue v when v.GetValueKind() == JsonValueKind.String => TryString(v, out _),
                _ => true,
            };
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return false;
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

    private static JsonObject Detach(JsonObject payload)
    {
        payload.Parent?.AsArray().Remove(payload);
        return payload;
    }

    private static ParsedFrame Error(string messageId, string code, string description) =>
        new(null, new OcppCallError(messageId, code, description), null);

    // A CALLERROR must carry the id of the CALL it answers; without one there is nobody to answer.
    private static ParsedFrame Unreadable(string description) => new(null, null, description);
}
