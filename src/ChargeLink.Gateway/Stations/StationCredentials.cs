using System.Security.Cryptography;
using System.Text;
using ChargeLink.Domain.Topology;

namespace ChargeLink.Gateway.Stations;

/// <summary>
/// OCPP security profile 1: HTTP Basic with username = chargePointId. Passwords from the topology are kept
/// only as salted SHA-256 hashes and compared in constant time.
/// </summary>
public sealed class StationCredentials
{
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);
    private readonly Dictionary<string, byte[]> _hashes;

    public StationCredentials(SiteTopology topology) =>
        _hashes = topology.Groups.SelectMany(g => g.Stations)
            .Where(s => s.Password is not null)
            .ToDictionary(s => s.ChargePointId, s => Hash(s.Password!), StringComparer.Ordinal);

    public bool RequiresPassword(string chargePointId) => _hashes.ContainsKey(chargePointId);

    /// <summary>Checks an Authorization header value ("Basic base64(id:password)") for this station.</summary>
    public bool Verify(string chargePointId, string? authorization)
    {
        if (!_hashes.TryGetValue(chargePointId, out var expected))
            return true;
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

    private byte[] Hash(string password) => SHA256.HashData([.. _salt, .. Encoding.UTF8.GetBytes(password)]);
}
