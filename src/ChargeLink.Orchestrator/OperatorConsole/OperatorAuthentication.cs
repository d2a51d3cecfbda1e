using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ChargeLink.Orchestrator.OperatorConsole;

/// <summary>
/// The operator, recognised by the token in CHARGELINK_OPERATOR_TOKEN: as <c>Authorization: Bearer &lt;token&gt;</c>
/// (the read API's contract), or by the console's cookie, an open session the sign-in made (<see
/// cref="OperatorSessions"/>; a browser's EventSource cannot send a header). Everything else is anonymous and gets 401.
/// A wrong bearer token counts against the client's address: past the limit every request with one gets 429 until the
/// window ends.
/// </summary>
public sealed class OperatorAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ChargeLinkSettings settings,
    OperatorSessions sessions,
    FailedAttempts signIns,
    RefusalLog refusals
) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "operator";
    public const string CookieName = "chargelink_operator";
    private const string ThrottledFor = "chargelink.throttled-for";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var address = AddressOf(Context);
            if (signIns.RefusedFor(AddressKey(address)) is { } wait)
            {
                refusals.Throttled(address);
                Context.Items[ThrottledFor] = wait;
                return AuthenticateResult.Fail("too many wrong tokens from this address");
            }
            if (IsToken(header["Bearer ".Length..].Trim(), settings.OperatorToken))
                return Operator();
            signIns.Failed(AddressKey(address));
            refusals.Failed("operator", address, "a bearer token that is not the operator's");
            return AuthenticateResult.Fail("the bearer token is not the operator's");
        }
        // A session id is 256 random bits: a wrong cookie is a stale one (signed out, expired, token rotated), not a
        // guess.
        if (Request.Cookies.TryGetValue(CookieName, out var cookie))
            return await sessions.IsOpen(cookie, Context.RequestAborted)
                ? Operator()
                : AuthenticateResult.Fail("the console's session is not open");
        return AuthenticateResult.NoResult();
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[ThrottledFor] is TimeSpan wait)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = FailedAttempts.RetryAfterSeconds(wait);
            return Task.CompletedTask;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"chargelink\"";
        return Task.CompletedTask;
    }

    /// <summary>Whether <paramref name="given"/> is the operator's token (in constant time).</summary>
    public static bool IsToken(string? given, string token) =>
        given is not null
        && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)),
            SHA256.HashData(Encoding.UTF8.GetBytes(token))
        );

    /// <summary>The client's address as this service sees it, for counting and logging.</summary>
    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The key failed sign-ins of an address are counted under.</summary>
    public static string AddressKey(string address) => FailedAttempts.AddressPrefix + address;

    private AuthenticateResult Operator() =>
        AuthenticateResult.Success(
            new AuthenticationTicket(
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, "operator")], SchemeName)),
                SchemeName
            )
        );
}
