namespace ChargeLink.Simulators;

/// <summary>
/// The fuzzer's fields of each action a station sends, read from the OCA's own JSON schemas (the bundles in the
/// gateway's <c>Ocpp/Schemas/</c>, embedded here too): the standard, not the gateway's reading of it, is the oracle.
/// Two things are added or left out on purpose: ChargeLink's own bounds the schemas do not state
/// (<see cref="OwnBounds"/>, <see cref="OwnNonEmpty"/>), and <c>customData</c>, a vendor's open object where an
/// undefined property is no mistake.
/// </summary>
public sealed partial class FrameFuzzer
{
    private enum Kind
    {
        Int,
        Text,
        Enum,
        Date,
        Number,
        Bool,
        Object,
        Objects,

        // Any JSON value at all (2.x's DataTransfer data).
        Any,
    }

    /// <param name="Max">For <see cref="Kind.Text"/>, its longest length; for <see cref="Kind.Int"/>, its largest
    /// value.</param>
    /// <param name="Of">For <see cref="Kind.Object"/>, its fields; for <see cref="Kind.Objects"/>, each
    /// element's.</param>
    private sealed record Field(
        string Name,
        Kind Kind,
        bool Required,
        int Max = 0,
        int Min = int.MinValue,
        string[]? Values = null,
        bool NonEmpty = false,
        Field[]? Of = null
    );

    // Read on first use: a static initializer here could run before the action lists and bounds it reads.
    private static Dictionary<string, Field[]>? _schemas16,
        _schemas201,
        _schemas21;

    private static Dictionary<string, Field[]> SchemasOf(string version) =>
        version switch
        {
            Ocpp21 => _schemas21 ??= ReadBundle(Ocpp21, Station2Actions),
            Ocpp201 => _schemas201 ??= ReadBundle(Ocpp201, Station2Actions),
            _ => _schemas16 ??= ReadBundle(Ocpp16, StationActions),
        };

    /// <summary>
    /// ChargeLink's minimums beyond the schemas, per version: a connector id in a status is never negative (0 is the
    /// station itself), a 1.6 transaction's connector is a real one, a meter register and a transaction's sequence
    /// number are never negative (PropertyConstraintViolation). These are the only places the fuzzer is told what the
    /// gateway adds to the standard.
    /// </summary>
    private static readonly Dictionary<(string Version, string Path), int> OwnBounds = new()
    {
        [(Ocpp16, "StatusNotification.connectorId")] = 0,
        [(Ocpp16, "MeterValues.connectorId")] = 0,
        [(Ocpp16, "StartTransaction.connectorId")] = 1,
        [(Ocpp16, "StartTransaction.meterStart")] = 0,
        [(Ocpp16, "StopTransaction.meterStop")] = 0,
        // 2.1's schema says it; 2.0.1's does not, and the gateway holds 2.0.1 to it too.
        [(Ocpp201, "StatusNotification.evseId")] = 0,
        [(Ocpp201, "StatusNotification.connectorId")] = 0,
        [(Ocpp201, "TransactionEvent.seqNo")] = 0,
        [(Ocpp201, "TransactionEvent.evse.id")] = 0,
    };

    /// <summary>1.6's lists that its specification makes 1..* and its JSON schemas leave open (an empty one is
    /// OccurenceConstraintViolation); 2.x's schemas say so themselves (minItems).</summary>
    private static readonly HashSet<(string Version, string Path)> OwnNonEmpty =
    [
        (Ocpp16, "MeterValues.meterValue"),
        (Ocpp16, "MeterValues.meterValue.sampledValue"),
        (Ocpp16, "StopTransaction.transactionData.sampledValue"),
    ];

    private static Dictionary<string, Field[]> ReadBundle(string version, IReadOnlyList<string> actions)
    {
        var resource = $"ChargeLink.Simulators.Schemas.{version.Replace('.', '_')}.json";
        using var stream = typeof(FrameFuzzer).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the OCA schema bundle {resource} is not embedded");
        var bundle = JsonNode.Parse(stream)!.AsArray();
        var byId = bundle
            .Select(s => s!.AsObject())
            .ToDictionary(s => s["$id"]!.GetValue<string>(), StringComparer.Ordinal);
        return actions.ToDictionary(
            action => action,
            action =>
            {
                var id = version == Ocpp21 ? $"urn:{action}Request" : $"urn:{action}.req";
                var schema = byId.TryGetValue(id, out var found)
                    ? found
                    : throw new InvalidOperationException($"{version}'s bundle has no schema {id}");
                return Fields(schema, schema["definitions"]?.AsObject(), version, action);
            },
            StringComparer.Ordinal
        );
    }

    private static Field[] Fields(JsonObject node, JsonObject? definitions, string version, string path)
    {
        var required = node["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
        var properties = node["properties"]?.AsObject() ?? [];
        return
        [
            .. properties
                .Where(p => p.Key != "customData")
                .Select(p =>
                    FieldOf(
                        p.Key,
                        Resolve(p.Value!.AsObject(), definitions),
                        required.Contains(p.Key),
                        definitions,
                        version,
                        $"{path}.{p.Key}"
                    )
                ),
        ];
    }

    private static Field FieldOf(
        string name,
        JsonObject node,
        bool required,
        JsonObject? definitions,
        string version,
        string path
    )
    {
        var type = node["type"]?.GetValue<string>();
        var minimum =
            OwnBounds.TryGetValue((version, path), out var own) ? own
            : node["minimum"] is { } min ? (int)min.GetValue<decimal>()
            : int.MinValue;
        return type switch
        {
            null => new(name, Kind.Any, required),
            "integer" => new(
                name,
                Kind.Int,
                required,
                Min: minimum,
                Max: node["maximum"] is { } max ? (int)max.GetValue<decimal>() : int.MaxValue
            ),
            "number" => new(name, Kind.Number, required),
            "boolean" => new(name, Kind.Bool, required),
            "string" when node["enum"] is JsonArray values => new(
                name,
                Kind.Enum,
                required,
                Values: [.. values.Select(v => v!.GetValue<string>())]
            ),
            "string" when node["format"]?.GetValue<string>() == "date-time" => new(name, Kind.Date, required),
            "string" when node["format"] is null && node["pattern"] is null => new(
                name,
                Kind.Text,
                required,
                Max: node["maxLength"]?.GetValue<int>() ?? int.MaxValue
            ),
            "object" => new(name, Kind.Object, required, Of: Fields(node, definitions, version, path)),
            "array"
                when Resolve(node["items"]!.AsObject(), definitions) is var items
                    && items["type"]?.GetValue<string>() == "object" => new(
                name,
                Kind.Objects,
                required,
                NonEmpty: node["minItems"]?.GetValue<int>() >= 1 || OwnNonEmpty.Contains((version, path)),
                Of: Fields(items, definitions, version, path)
            ),
            // A shape the fuzzer cannot write yet: caught when the bundle is read, not by a frame gone wrong.
            _ => throw new NotSupportedException(
                $"{version} {path}: a schema the fuzzer does not read ({node.ToJsonString()})"
            ),
        };
    }

    private static JsonObject Resolve(JsonObject node, JsonObject? definitions) =>
        node["$ref"]?.GetValue<string>() is { } reference
            ? definitions?[reference["#/definitions/".Length..]]?.AsObject()
                ?? throw new InvalidOperationException($"no definition {reference}")
            : node;
}
