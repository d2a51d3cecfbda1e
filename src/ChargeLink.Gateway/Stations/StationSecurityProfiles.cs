namespace ChargeLink.Gateway.Stations;

/// <summary>
/// Which stations connect on which OCPP security profile at this gateway, logged at start so that an operator sees a
/// station that will be refused before it tries: profile 0 where the topology allows no password, else the password's
/// HTTP Basic, over ws (profile 1) or, when CHARGELINK_GATEWAY_URL is https, over wss (profile 2); a TLS client
/// certificate (profile 3) where the topology says 3, served only by an https gateway with a station CA.
/// </summary>
public sealed record StationSecurityProfiles(
    bool Tls,
    IReadOnlyList<string> WithoutPassword,
    IReadOnlyList<string> WithPassword,
    IReadOnlyList<string> Refused,
    IReadOnlyList<string> Profile2WithoutTls,
    IReadOnlyList<string> ByCertificate,
    bool ClientCertificates
)
{
    /// <summary>How many station ids a log line names; a benchmark topology has ten thousand.</summary>
    public const int ListedStations = 20;

    public int PasswordProfile => Tls ? 2 : 1;

    /// <param name="clientCertificates">Whether this gateway asks clients for certificates
    /// (CHARGELINK_GATEWAY_CLIENT_CA).</param>
    public static StationSecurityProfiles Of(SiteTopology topology, bool tls, bool clientCertificates = false)
    {
        var stations = topology.Groups.SelectMany(g => g.Stations).ToList();
        List<string> Ids(Func<StationDefinition, bool> which) =>
            [.. stations.Where(which).Select(s => s.ChargePointId)];
        return new StationSecurityProfiles(
            tls,
            Ids(s => s.AllowsUnauthenticatedConnection),
            Ids(s => s.Password is not null),
            Ids(s => s.Password is null && !s.AllowsUnauthenticatedConnection && !s.RequiresClientCertificate),
            tls ? [] : Ids(s => s.SecurityProfile == 2),
            Ids(s => s.RequiresClientCertificate),
            tls && clientCertificates
        );
    }

    /// <summary>The first <see cref="ListedStations"/> ids, then how many more.</summary>
    public static string List(IReadOnlyList<string> ids) =>
        ids.Count == 0 ? "none"
        : ids.Count <= ListedStations ? string.Join(", ", ids)
        : $"{string.Join(", ", ids.Take(ListedStations))} and {ids.Count - ListedStations} more";

    public void Log(ILogger logger)
    {
        logger.LogInformation(
            "Security profile {SecurityProfile} (no password, as the topology allows): "
                + "{StationCount} station(s): {StationIds}",
            0,
            WithoutPassword.Count,
            List(WithoutPassword)
        );
        logger.LogInformation(
            "Security profile {SecurityProfile} (HTTP Basic over {Transport}): {StationCount} station(s): {StationIds}",
            PasswordProfile,
            Tls ? "wss" : "ws",
            WithPassword.Count,
            List(WithPassword)
        );
        if (Refused.Count > 0)
        {
            logger.LogWarning(
                "{StationCount} station(s) have no password and no \"securityProfile\": 0 in the "
                    + "topology (on the station or its group); their connections are refused with 401: "
                    + "{StationIds}",
                Refused.Count,
                List(Refused)
            );
        }
        if (ByCertificate.Count > 0 && ClientCertificates)
        {
            logger.LogInformation(
                "Security profile {SecurityProfile} (TLS client certificate of the station CA "
                    + "naming the station): {StationCount} station(s): {StationIds}",
                3,
                ByCertificate.Count,
                List(ByCertificate)
            );
        }
        else if (ByCertificate.Count > 0)
        {
            logger.LogWarning(
                "{StationCount} station(s) say \"securityProfile\": 3 in the topology, but this "
                    + "gateway asks for no client certificate (it needs an https CHARGELINK_GATEWAY_URL "
                    + "and CHARGELINK_GATEWAY_CLIENT_CA): their connections are refused with 401: "
                    + "{StationIds}",
                ByCertificate.Count,
                List(ByCertificate)
            );
        }
        if (Profile2WithoutTls.Count > 0)
        {
            logger.LogWarning(
                "{StationCount} station(s) say \"securityProfile\": 2 in the topology, but this "
                    + "gateway serves ws, not wss (CHARGELINK_GATEWAY_URL is not https): their "
                    + "passwords cross the network unencrypted: {StationIds}",
                Profile2WithoutTls.Count,
                List(Profile2WithoutTls)
            );
        }
    }
}
