using System.Security.Cryptography;
using System.Text;

namespace ChargeLink.Contracts;

/// <summary>
/// A station group's saga is keyed by a Guid derived from the group id (name-based, RFC 4122 version 5
/// style over SHA-1), so every service computes the same key without a lookup.
/// </summary>
public static class GroupCorrelation
{
    private static readonly Guid Namespace = new("6f1c1c9e-4f7e-4d55-9a39-7b0c3e1d2a51");

    public static Guid IdOf(string groupId)
    {
        var name = Encoding.UTF8.GetBytes(groupId);
        var input = new byte[16 + name.Length];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>A deterministic message id, so that a repeated decision produces a command the receiver can
    /// drop.</summary>
    public static Guid CommandId(string groupId, params string[] parts) =>
        IdOf($"{groupId}\n{string.Join('\n', parts)}");
}
