using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using ChargeLink.ServiceDefaults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ChargeLink.Orchestrator.OperatorConsole;

/// <summary>
/// The operator, recognised by the token in CHARGELINK_OPERATOR_TOKEN: as <c>Authorization: Bearer &lt;token&gt;</c> (the read
/// API's contract), or by the console's cookie, which the sign-in sets after it was shown the same token (a browser's
/// EventSource cannot send a header). The cookie holds a keyed hash of the token, never the token, so a cookie read
/// from a disk is no token for the API; it changes when the token does. Everything else is anonymous and gets 401.
/// </summary>
public sealed class OperatorAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ChargeLinkSettings settings)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "operator";
    public const string CookieName = "chargelink_operator";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(Same(header["Bearer ".Length..].Trim(), settings.OperatorToken)
                ? Operator()
                : AuthenticateResult.Fail("the bearer token is not the operator's"));
        }
        if (Request.Cookies.TryGetValue(CookieName, out var cookie))
            return Task.FromResult(Same(cookie, CookieValue(settings.OperatorToken)) ? Operator() : AuthenticateResult.Fail("the console's cookie is not the current token's"));
        return Task.FromResult(AuthenticateResult.NoResult());
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"chargelink\"";
        return Task.CompletedTask;
    }

    /// <summary>Whether <paramref name="given"/> is the operator's token (in constant time).</summary>
    public static bool IsToken(string? given, string token) => given is not null && Same(given, token);

    /// <summary>What the console's cookie holds for <paramref name="token"/>.</summary>
    public static string CookieValue(string token) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "chargelink console session"u8));

    private AuthenticateResult Operator() =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, "operator")], SchemeName)), SchemeName));

    private static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
