using System.Security.Cryptography;
using System.Text;

namespace ChargeLink.Contracts.PaymentCloud;

/// <summary>
/// x-chargelink-signature: "sha256=" + lower-case hex HMAC-SHA256 of the exact body bytes, keyed with the
/// shared secret. Verification compares in constant time. During a rotation a second, previous secret is still
/// accepted on verification; signing always uses the current one.
/// </summary>
public sealed class PaymentSignature
{
    private const string Prefix = "sha256=";
    private readonly byte[] _key;
    private readonly byte[][] _accepted;

    public PaymentSignature(string secret, string? previousSecret = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = Encoding.UTF8.GetBytes(secret);
        _accepted = previousSecret is { Length: > 0 } ? [_key, Encoding.UTF8.GetBytes(previousSecret)] : [_key];
    }

    public string Sign(ReadOnlySpan<byte> body) => Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(_key, body));

    public bool Verify(ReadOnlySpan<byte> body, string? header)
    {
        if (
            header is null
            || !header.StartsWith(Prefix, StringComparison.Ordinal)
            || header.Length != Prefix.Length + 64
        )
            return false;
        Span<byte> claimed = stackalloc byte[32];
        if (
            Convert.FromHexString(header.AsSpan(Prefix.Length), claimed, out _, out var written)
                != System.Buffers.OperationStatus.Done
            || written != 32
        )
            return false;
        // Every accepted key is tried, so the time taken does not tell which one matched.
        var valid = false;
        foreach (var key in _accepted)
            valid |= CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, body), claimed);
        return valid;
    }
}
