using Json.Schema;

namespace ChargeLink.Gateway.Ocpp;

/// <summary>
/// The OCA's JSON schemas of one OCPP version (embedded from <c>Ocpp/Schemas/</c>), by action: a CALL's payload is
/// valid when its request schema says so, and a violation gets the CALLERROR code the standard gives for its kind.
/// </summary>
public sealed class OcppSchemas
{
    private readonly Dictionary<string, JsonSchema> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonSchema> _responses = new(StringComparer.Ordinal);

    private OcppSchemas(string resource)
    {
        using var stream = typeof(OcppSchemas).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded schemas {resource} are missing");
        foreach (var node in JsonNode.Parse(stream)!.AsArray())
        {
            // 1.6's and 2.0.1's bundles name them urn:X.req / urn:X.conf, 2.1's urn:XRequest / urn:XResponse.
            var id = node!["$id"]!.GetValue<string>();
            // The schema library keeps one global registry by $id, and 1.6 and 2.0.1 use the same ids: each bundle's
            // get the resource's name in front (their references are local, #/definitions/...).
            node["$id"] = $"urn:{resource}:{id["urn:".Length..]}";
            if ((Action(id, ".req") ?? Action(id, "Request")) is { } request)
                _requests[request] = JsonSchema.FromText(node.ToJsonString());
            else if ((Action(id, ".conf") ?? Action(id, "Response")) is { } response)
                _responses[response] = JsonSchema.FromText(node.ToJsonString());
        }
    }

    private static string? Action(string id, string suffix) =>
        id.StartsWith("urn:", StringComparison.Ordinal) && id.EndsWith(suffix, StringComparison.Ordinal)
            ? id["urn:".Length..^suffix.Length]
            : null;

    public static OcppSchemas V16 { get; } = new("ChargeLink.Gateway.Ocpp.Schemas.ocpp1_6.json");

    public static OcppSchemas V201 { get; } = new("ChargeLink.Gateway.Ocpp.Schemas.ocpp2_0_1.json");

    public static OcppSchemas V21 { get; } = new("ChargeLink.Gateway.Ocpp.Schemas.ocpp2_1.json");

    public bool Knows(string action) => _requests.ContainsKey(action);

    /// <summary>Every action the version defines (a request schema each).</summary>
    public IEnumerable<string> Actions => _requests.Keys;

    /// <summary>Throws <see cref="OcppViolation"/> (with a 2.x code, which 1.6 spells its way) when <paramref
    /// name="payload"/> breaks the action's request schema.</summary>
    public void Check(string action, JsonObject payload) => Check(_requests, action, payload);

    /// <summary>The same for an answer (a CALLRESULT's payload): what a strict station will check of ours.</summary>
    public void CheckResponse(string action, JsonObject payload) => Check(_responses, action, payload);

    // Formats asserted, not only annotated: a timestamp that is no RFC 3339 date-time is refused, as strict stations
    // refuse ours. A valid payload needs only the verdict (Flag, which stops at the first failure); the details that
    // name the field are asked for only when there is something to tell.
    private static readonly EvaluationOptions Verdict = new()
    {
        OutputFormat = OutputFormat.Flag,
        RequireFormatValidation = true,
    };

    private static readonly EvaluationOptions Evaluation = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
    };

    private static void Check(Dictionary<string, JsonSchema> schemas, string action, JsonObject payload)
    {
        if (!schemas.TryGetValue(action, out var schema))
            throw new OcppViolation(OcppErrorCode.NotImplemented, $"no schema for {action}");
        var element = System.Text.Json.JsonSerializer.SerializeToElement(payload);
        if (schema.Evaluate(element, Verdict).IsValid)
            return;
        var results = schema.Evaluate(element, Evaluation);
        if (results.IsValid)
            return;
        var (location, keyword, message) = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d =>
                d.Errors!.Select(e =>
                    (
                        Location: d.InstanceLocation.ToString(),
                        Keyword: KeywordOf(e.Key, d.EvaluationPath.ToString()),
                        Message: e.Value
                    )
                )
            )
            .DefaultIfEmpty(("", "", "invalid"))
            .First();
        throw new OcppViolation(
            CodeOf(keyword),
            $"{action}{(location.Length > 0 ? " at " + location : "")}: {message}"
        );
    }

    // A property the schema does not define fails against the false schema that additionalProperties holds: the keyword
    // that matters is the one above it.
    private static string KeywordOf(string key, string evaluationPath) =>
        key is "" or "false" && evaluationPath.Contains("/additionalProperties", StringComparison.Ordinal)
            ? "additionalProperties"
            : key;

    // The kinds of OCPP-J 2.x's CALLERROR codes (part 4, 4.3): missing or repeated fields, wrong JSON types, wrong
    // values, and anything else that makes the payload not the action's.
    private static string CodeOf(string keyword) =>
        keyword switch
        {
            "required" or "minItems" or "maxItems" => OcppErrorCode.OccurrenceConstraintViolation,
            "type" => OcppErrorCode.TypeConstraintViolation,
            "enum" or "const" or "maxLength" or "minLength" or "minimum" or "maximum" or "pattern" or "format" =>
                OcppErrorCode.PropertyConstraintViolation,
            "additionalProperties" => OcppErrorCode.PropertyConstraintViolation,
            _ => OcppErrorCode.FormatViolation,
        };
}
