namespace ChargeLink.Gateway.Ocpp;

/// <summary>The OCPP-J versions the gateway speaks, by WebSocket subprotocol.</summary>
public static class OcppVersion
{
    public const string V16 = "ocpp1.6";
    public const string V201 = "ocpp2.0.1";
    public const string V21 = "ocpp2.1";

    /// <summary>Newest first: a station that offers several gets the newest the gateway supports.</summary>
    public static readonly IReadOnlyList<string> Supported = [V21, V201, V16];

    /// <summary>The subprotocol to select among those a station offers, or null when it offers none the gateway
    /// speaks.</summary>
    public static string? Negotiate(IEnumerable<string> offered)
    {
        var set = offered.ToHashSet(StringComparer.Ordinal);
        return Supported.FirstOrDefault(set.Contains);
    }
}
