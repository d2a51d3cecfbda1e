using System.Security.Cryptography;
using System.Text;

namespace ChargeLink.Domain.Groups;

/// <summary>
/// The OCPP idTag (CiString20) that stands for a payment at the station. A paymentId may be up to 64
/// characters, so the tag is derived from it: "CL" + 18 base32 characters of HMAC-SHA256(key, paymentId), 90 bits,
/// deterministic so a redelivered decision produces the same tag, and keyed with a secret of the deployment so that
/// nobody who knows a payment's id (a station, a driver, the payment cloud) can compute its tag and start with it.
/// </summary>
public static class IdTag
{
    public const int MaxLength = 20;
    private const string Prefix = "CL";
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>Whether <paramref name="idTag"/> has the shape of a payment's tag (an RFID card's may, too).</summary>
    public static bool IsPaymentShaped(string idTag) =>
        idTag.Length == MaxLength
        && idTag.StartsWith(Prefix, StringComparison.Ordinal)
        && idTag.AsSpan(Prefix.Length).IndexOfAnyExcept(Alphabet) < 0;

    public static string ForPayment(string paymentId, ReadOnlySpan<byte> key)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(paymentId), hash);
        Span<char> tag = stackalloc char[MaxLength];
        Prefix.AsSpan().CopyTo(tag);
        ulong buffer = 0;
        var bits = 0;
        var hashIndex = 0;
        for (var i = Prefix.Length; i < MaxLength; i++)
        {
            if (bits < 5)
            {
                buffer = (buffer << 8) | hash[hashIndex++];
                bits += 8;
            }
            tag[i] = Alphabet[(int)((buffer >> (bits - 5)) & 31)];
            bits -= 5;
        }
        return new string(tag);
    }
}
