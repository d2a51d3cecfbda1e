using System.Security.Cryptography;
using System.Text;
using Marten;

namespace ChargeLink.Orchestrator.OperatorConsole;

/// <summary>A console session as PostgreSQL keeps it: never the cookie, only its hash.</summary>
public sealed class OperatorSession
{
    /// <summary>SHA-256 of the cookie's secret, in hex.</summary>
    public string Id { get; set; } = "";

    /// <summary>The operator who signed in (<see cref="OperatorDirectory"/>); the role is read from the directory at
    /// each request, so a changed role applies at once.</summary>
    public string Operator { get; set; } = "";

    /// <summary>
    /// HMAC of the operator's token's hash keyed with the cookie's secret: the session holds while that operator's
    /// token is the one it was opened with (a rotated token ends the operator's sessions), and the stored row alone
    /// tests no guess of the token.
    /// </summary>
    public string TokenProof { get; set; } = "";

    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>
/// The console's sessions: a random secret in the cookie, its hash and expiry in PostgreSQL, so every orchestrator
/// instance honours a sign-out at once and a cookie read from a disk opens nothing once signed out, expired or the
/// token rotated.
/// </summary>
public sealed class OperatorSessions(IDocumentStore store, OperatorDirectory directory, TimeProvider clock)
{
    /// <summary>How long a console session lasts at most: a working day.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>Opens a session for <paramref name="named"/>'s current token; returns the cookie's value.</summary>
    public async Task<string> Open(NamedOperator named, CancellationToken cancellation)
    {
        var tokenHash = directory.Named(named.Name)?.TokenHash
            ?? throw new InvalidOperationException($"no operator \"{named.Name}\" to open a session for");
        var secret = RandomNumberGenerator.GetBytes(32);
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession();
        // Expired sessions go as new ones open: the table holds what could still be used.
        session.DeleteWhere<OperatorSession>(s => s.ExpiresAt < now);
        session.Store(
            new OperatorSession
            {
                Id = IdOf(secret),
                Operator = named.Name,
                TokenProof = Proof(secret, tokenHash),
                OpenedAt = now,
                ExpiresAt = now + Lifetime,
            }
        );
        await session.SaveChangesAsync(cancellation);
        return Convert.ToBase64String(secret).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The operator whose open session <paramref name="cookie"/> is, with that operator's current token and
    /// role; null for a session closed, expired, of a rotated token or of an operator no longer listed.</summary>
    public async Task<NamedOperator?> Find(string cookie, CancellationToken cancellation)
    {
        if (Secret(cookie) is not { } secret)
            return null;
        await using var session = store.QuerySession();
        var found = await session.LoadAsync<OperatorSession>(IdOf(secret), cancellation);
        if (found is null || found.ExpiresAt <= clock.GetUtcNow() || directory.Named(found.Operator) is not { } now)
            return null;
        return CryptographicOperations.FixedTimeEquals(
            Convert.FromHexString(found.TokenProof),
            Convert.FromHexString(Proof(secret, now.TokenHash))
        )
            ? now.Operator
            : null;
    }

    /// <summary>Ends the session of <paramref name="cookie"/>, on every instance.</summary>
    public async Task Close(string cookie, CancellationToken cancellation)
    {
        if (Secret(cookie) is not { } secret)
            return;
        await using var session = store.LightweightSession();
        session.Delete<OperatorSession>(IdOf(secret));
        await session.SaveChangesAsync(cancellation);
    }

    private static byte[]? Secret(string cookie)
    {
        if (cookie.Length != 43)
            return null;
        try
        {
            return Convert.FromBase64String(cookie.Replace('-', '+').Replace('_', '/') + "=");
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string IdOf(byte[] secret) => Convert.ToHexStringLower(SHA256.HashData(secret));

    private static string Proof(byte[] secret, byte[] tokenHash) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secret, tokenHash));
}
