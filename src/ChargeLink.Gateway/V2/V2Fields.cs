namespace ChargeLink.Gateway.V2;

/// <summary>The fields several 2.x actions read, read one way.</summary>
public static class V2Fields
{
    // The schemas say "integer" without a width (2.0.1 without a minimum too); OCPP's integers are 32 bits and an EVSE
    // id is never negative: read as 1.6's integers are, and refused as they are.
    public static int? EvseId(JsonNode? evse) =>
        evse is JsonObject known ? new PayloadReader(known).RequiredInt("id", min: 0) : null;

    public static string? IdToken(JsonObject payload) =>
        (payload["idToken"] as JsonObject)?["idToken"]?.GetValue<string>();

    /// <summary>
    /// 2.x's connector states in the contract's words. Occupied is the cable in: a candidate, as 1.6's Preparing; a
    /// transaction that runs keeps it Occupied, and the group knows that transaction from its own messages.
    /// </summary>
    public static ConnectorStatus? StateOf(string? status) =>
        status switch
        {
            "Occupied" => ConnectorStatus.Preparing,
            "Available" => ConnectorStatus.Available,
            "Reserved" => ConnectorStatus.Reserved,
            "Unavailable" => ConnectorStatus.Unavailable,
            "Faulted" => ConnectorStatus.Faulted,
            _ => null,
        };
}
