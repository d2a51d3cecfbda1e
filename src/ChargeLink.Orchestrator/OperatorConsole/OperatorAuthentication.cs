using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ChargeLink.Orchestrator.OperatorConsole;

/// <summary>
/// A named operator (<see cref="OperatorDirectory"/>), recognised by a token: as <c>Authorization: Bearer
/// &lt;token&gt;</c> (the read API's contract), or by the console's cookie, an open session the sign-in made (<see
/// cref="OperatorSessions"/>; a browser's EventSource cannot send a header). The ticket carries the operator's name and
/// role; a viewer who tries to act gets 403, logged. Everything else is anonymous and gets 401. A wrong bearer token
/// counts against the client's address: past the limit every request with one gets 429 until the window ends.
/// </summary>
public sealed class OperatorAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    OperatorDirectory directory,
    OperatorSessions sessions,
    FailedAttempts signIns,
    RefusalLog refusals
) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "operator";

    /// <summary>The authorization policy of every act: the operator role.</summary>
    public const string ActingPolicy = "acting";
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
            if (directory.Find(header["Bearer ".Length..].Trim()) is { } named)
                return Ticket(named);
            signIns.Failed(AddressKey(address));
            refusals.Failed("operator", address, "a bearer token that is no operator's");
            return AuthenticateResult.Fail("the bearer token is no operator's");
        }
        // A session id is 256 random bits: a wrong cookie is a stale one (signed out, expired, token rotated), not a
        // guess.
        if (Request.Cookies.TryGetValue(CookieName, out var cookie))
            return await sessions.Find(cookie, Context.RequestAborted) is { } named
                ? Ticket(named)
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

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        // Only acts are forbidden to anyone signed in: a viewer tried to act.
        Logger.LogWarning(
            "Operator {Operator} ({Role}) may not act: {Method} {Path} refused with 403",
            Context.User.Identity?.Name,
            Context.User.FindFirst(ClaimTypes.Role)?.Value,
            Request.Method,
            Request.Path.Value
        );
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    /// <summary>The client's address as this service sees it, for counting and logging.</summary>
    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The key failed sign-ins of an address are counted under.</summary>
    public static string AddressKey(string address) => FailedAttempts.AddressPrefix + address;

    private static AuthenticateResult Ticket(NamedOperator named) =>
        AuthenticateResult.Success(
            new AuthenticationTicket(
                new ClaimsPrincipal(
                    new ClaimsIdentity(
                        [
                            new Claim(ClaimTypes.Name, named.Name),
                            new Claim(ClaimTypes.Role, named.Role.ToString().ToLowerInvariant()),
                        ],
                        SchemeName
                    )
                ),
                SchemeName
            )
        );
}
