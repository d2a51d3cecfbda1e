namespace ChargeLink.Simulators;

/// <summary>What the gateway owes a frame as sent, and whether its answer pays it.</summary>
public sealed partial class FrameFuzzer
{
    /// <summary>What is wrong with an answer: a CALLRESULT is [3, id, {...}], a CALLERROR [4, id, code, description,
    /// {...}].</summary>
    public static string? WhatIsWrong(JsonArray answer, string id, string? expected)
    {
        if (answer[1] is not JsonValue answerId || !answerId.TryGetValue<string>(out var echoed) || echoed != id)
            return "the answer carries another id";
        var type = answer[0] is JsonValue value && value.TryGetValue<int>(out var t) ? t : 0;
        if (type == 3 && (answer.Count != 3 || answer[2] is not JsonObject))
            return "a CALLRESULT is [3, id, {...}]";
        if (
            type == 4
            && (
                answer.Count != 5
                || answer[2] is not JsonValue
                || answer[3] is not JsonValue
                || answer[4] is not JsonObject
            )
        )
            return "a CALLERROR is [4, id, code, description, {...}]";
        if (type is not (3 or 4))
            return "an answer is a CALLRESULT or a CALLERROR";
        var got = type == 3 ? FuzzFrame.CallResult : answer[2]!.ToString();
        return expected is null || expected == got ? null : $"expected {expected}, got {got}";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // What the gateway owes a frame, from its text alone.

    /// <summary>
    /// Whether the gateway owes <paramref name="text"/> exactly one answer: it parses as JSON (System.Text.Json's
    /// defaults, so no deeper than 64 levels), is an array, its element 1 is a string of 1-36 characters of valid
    /// Unicode, and its element 0 is not the number 3 or 4 (answers to CALLs the gateway never made get none).
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
            if (
                root[1].ValueKind != JsonValueKind.String
                || !TryText(root[1], out var id)
                || id.Length == 0
                || id.EnumerateRunes().Count() > MaxMessageIdLength
            )
                return None;
            var type = root[0].ValueKind == JsonValueKind.Number && root[0].TryGetInt32(out var t) ? t : (int?)null;
            // Answers, and in 2.1 SENDs and CALLRESULTERRORs, never get an answer.
            if (type is 3 or 4 || (subprotocol == Ocpp21 && type is 5 or 6))
                return None;
            // A payload that is no text is syntactically wrong; a frame that is no CALL is no RPC; a type the version
            // lacks.
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
    /// A code as the version spells it, from the standards: OCPP-J 1.6 (4.2.3) has FormationViolation for every frame
    /// gone wrong and misspells Occurrence; OCPP-J 2.0.1 (part 4, 4.3) has FormatViolation, RpcFrameworkError and
    /// MessageTypeNotSupported.
    /// </summary>
    public static string Spell(string code, string subprotocol) =>
        subprotocol == Ocpp16
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
}
