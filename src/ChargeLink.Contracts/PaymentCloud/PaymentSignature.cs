using System.Security.Cryptography;
using System.Text;

namespace ChargeLink.Contracts.PaymentCloud;

/// <summary>
/// x-chargelink-signature: "sha256=" + lower-case hex HMAC-SHA256 of the exact body bytes, keyed with the
/// shared secret. Verification compares in constant time.
/// </summary>
public sealed class PaymentSignature(string secret)
{
    private const string Prefix = "sha256=";
    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);

    public string Sign(ReadOnlySpan<byte> body) => Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(_key, body));

    public bool Verify(ReadOnlySpan<byte> body, string? header)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + 64)
            return false;
        Span<byte> claimed = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(Prefix.Length), claimed, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
            return false;
        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, body), claimed);
    }
}
