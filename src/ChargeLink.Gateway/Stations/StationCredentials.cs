using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ChargeLink.Gateway.Stations;

/// <summary>
/// OCPP security profiles 1 and 2: HTTP Basic with username = chargePointId. Passwords from the topology are kept only
/// as salted SHA-256 hashes and compared in constant time. Profile 0 (no credentials) only for the stations the
/// topology puts there; a station with no password otherwise is refused. Profile 3: a TLS client certificate, chained
/// to the gateway's station CA and in date (the TLS handshake checked that, <see cref="GatewayTls"/>), whose subject CN
/// or a DNS name of its SAN is the station id.
/// </summary>
public sealed class StationCredentials
{
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);
    private readonly Dictionary<string, byte[]> _hashes;
    private readonly HashSet<string> _withoutPassword;
    private readonly HashSet<string> _byCertificate;

    public StationCredentials(SiteTopology topology)
    {
        var stations = topology.Groups.SelectMany(g => g.Stations).ToList();
        _hashes = stations
            .Where(s => s.Password is not null)
            .ToDictionary(s => s.ChargePointId, s => Hash(s.Password!), StringComparer.Ordinal);
        _withoutPassword = stations
            .Where(s => s.AllowsUnauthenticatedConnection)
            .Select(s => s.ChargePointId)
            .ToHashSet(StringComparer.Ordinal);
        _byCertificate = stations
            .Where(s => s.RequiresClientCertificate)
            .Select(s => s.ChargePointId)
            .ToHashSet(StringComparer.Ordinal);
    }

    public bool RequiresPassword(string chargePointId) => _hashes.ContainsKey(chargePointId);

    public bool Verify(string chargePointId, string? authorization) =>
        Check(chargePointId, authorization) == CredentialsVerdict.Accepted;

    /// <summary>Checks an Authorization header value ("Basic base64(id:password)") for this station; an id the topology
    /// does not know is never accepted.</summary>
    public CredentialsVerdict Check(
        string chargePointId,
        string? authorization,
        X509Certificate2? clientCertificate = null
    )
    {
        if (_byCertificate.Contains(chargePointId))
        {
            return clientCertificate is null ? CredentialsVerdict.NoCertificate
                : Names(clientCertificate).Contains(chargePointId, StringComparer.Ordinal) ? CredentialsVerdict.Accepted
                : CredentialsVerdict.CertificateOfAnother;
        }
        if (!_hashes.TryGetValue(chargePointId, out var expected))
            return _withoutPassword.Contains(chargePointId)
                ? CredentialsVerdict.Accepted
                : CredentialsVerdict.NoPasswordAllowed;
        return Matches(chargePointId, authorization, expected)
            ? CredentialsVerdict.Accepted
            : CredentialsVerdict.BadCredentials;
    }

    private bool Matches(string chargePointId, string? authorization, byte[] expected)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0 || decoded[..colon] != chargePointId)
            return false;
        return CryptographicOperations.FixedTimeEquals(Hash(decoded[(colon + 1)..]), expected);
    }

    // Who a certificate names: its subject's CN and the DNS names of its SAN.
    private static IEnumerable<string> Names(X509Certificate2 certificate) =>
        certificate
            .Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(san => san.EnumerateDnsNames())
            .Append(certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));

    private byte[] Hash(string password) => SHA256.HashData([.. _salt, .. Encoding.UTF8.GetBytes(password)]);
}
