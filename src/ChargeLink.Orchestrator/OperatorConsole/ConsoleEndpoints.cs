using System.Security.Claims;
using System.Text.Json;
using ChargeLink.Domain.Audit;
using ChargeLink.Orchestrator.Reading;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChargeLink.Orchestrator.OperatorConsole;

/// <summary>
/// The operator's console: one page (its three files embedded in this assembly, nothing from elsewhere at run time),
/// the sign-in that turns the operator's token into a console session (its cookie) and the sign-out that ends it, and
/// the live news of group changes as server-sent events. What the page reads is the read API's (Reading/GroupsApi).
/// </summary>
public static class ConsoleEndpoints
{
    private static readonly Dictionary<string, string> Assets = new(StringComparer.Ordinal)
    {
        ["console.css"] = "text/css; charset=utf-8",
        ["console.js"] = "text/javascript; charset=utf-8",
    };

    public static WebApplication MapOperatorConsole(this WebApplication app)
    {
        app.MapGet("/", () => Results.Redirect("/console")).ExcludeFromDescription();
        app.MapGet("/favicon.ico", () => Results.NoContent()).ExcludeFromDescription();
        app.MapGet("/console", (HttpContext http) => Asset(http, "index.html", "text/html; charset=utf-8"))
            .ExcludeFromDescription();
        app.MapGet("/console/assets/{name}", (string name, HttpContext http) =>
                Assets.TryGetValue(name, out var type) ? Asset(http, name, type) : Results.NotFound()
            )
            .ExcludeFromDescription();

        app.MapPost(
                "/console/sign-in",
                async (
                    SignIn form,
                    HttpContext http,
                    ChargeLinkSettings settings,
                    OperatorDirectory directory,
                    OperatorSessions sessions,
                    FailedAttempts signIns,
                    RefusalLog refusals
                ) =>
                {
                    if (!SameOrigin(http))
                        return Results.Problem(
                            statusCode: StatusCodes.Status403Forbidden,
                            title: "a sign-in from another site's page"
                        );
                    var address = OperatorAuthentication.AddressOf(http);
                    if (signIns.RefusedFor(OperatorAuthentication.AddressKey(address)) is { } wait)
                    {
                        refusals.Throttled(address);
                        http.Response.Headers.RetryAfter = FailedAttempts.RetryAfterSeconds(wait);
                        return Results.Problem(
                            statusCode: StatusCodes.Status429TooManyRequests,
                            title: "too many wrong tokens from this address; try again later"
                        );
                    }
                    if (directory.Find(form.Token) is not { } named)
                    {
                        signIns.Failed(OperatorAuthentication.AddressKey(address));
                        refusals.Failed("operator", address, "a console sign-in with a token that is no operator's");
                        return Results.Problem(
                            statusCode: StatusCodes.Status401Unauthorized,
                            title: "that is no operator's token"
                        );
                    }
                    http.Response.Cookies.Append(
                        OperatorAuthentication.CookieName,
                        await sessions.Open(named, http.RequestAborted),
                        new CookieOptions
                        {
                            HttpOnly = true,
                            SameSite = SameSiteMode.Strict,
                            Secure = http.Request.IsHttps || settings.BehindTls,
                            Path = "/",
                            MaxAge = OperatorSessions.Lifetime,
                        }
                    );
                    return Results.NoContent();
                }
            )
            .ExcludeFromDescription();
        app.MapPost("/console/sign-out", async (HttpContext http, OperatorSessions sessions) =>
            {
                if (!SameOrigin(http))
                    return Results.Problem(
                        statusCode: StatusCodes.Status403Forbidden,
                        title: "a sign-out from another site's page"
                    );
                // Ended on the server: the same cookie, replayed, opens nothing on any instance.
                if (http.Request.Cookies.TryGetValue(OperatorAuthentication.CookieName, out var cookie))
                    await sessions.Close(cookie, http.RequestAborted);
                http.Response.Cookies.Delete(OperatorAuthentication.CookieName, new CookieOptions { Path = "/" });
                return Results.NoContent();
            })
            .ExcludeFromDescription();

        // The page names who it is signed in as (and whether they may act): an operator acts in their own name.
        app.MapGet("/console/me", (HttpContext http) =>
                new SignedIn(http.User.Identity?.Name ?? "", http.User.FindFirst(ClaimTypes.Role)?.Value ?? "")
            )
            .RequireAuthorization()
            .WithSummary("Who the console's session (or the bearer token) is: the operator's name and role.");
        app.MapGet("/console/events", Follow)
            .RequireAuthorization()
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .WithSummary(
                "Live: one event `group` (data: groupId, version) each time a group's read models "
                    + "change; a comment at once and every 15 s keeps the stream and proxies awake."
            );

        return app;
    }

    private static readonly TimeSpan KeepAwake = TimeSpan.FromSeconds(15);

    // Server-sent events written by hand: the headers and a first comment go out at once (a client learns it is
    // connected before anything changes), and a comment whenever nothing happened for a while. It ends when the page
    // goes away or the service stops (a redeploy must not wait for open pages).
    private static async Task Follow(
        HttpContext http,
        GroupChanges changes,
        IHostApplicationLifetime lifetime,
        CancellationToken requestAborted
    )
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var cancellation = stop.Token;
        var next = changes.Follow(cancellation).GetAsyncEnumerator(cancellation);
        var moved = next.MoveNextAsync().AsTask();
        try
        {
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            await http.Response.WriteAsync(": following group changes\n\n", cancellation);
            await http.Response.Body.FlushAsync(cancellation);
            while (!cancellation.IsCancellationRequested)
            {
                if (await Task.WhenAny(moved, Task.Delay(KeepAwake, cancellation)) != moved)
                {
                    await http.Response.WriteAsync(": awake\n\n", cancellation);
                }
                else
                {
                    if (!await moved)
                        return;
                    await http.Response.WriteAsync(
                        $"event: group\ndata: {JsonSerializer.Serialize(next.Current, Json)}\n\n",
                        cancellation
                    );
                    moved = next.MoveNextAsync().AsTask();
                }
                await http.Response.Body.FlushAsync(cancellation);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The page went away, or the service stops: the normal end of a stream.
        }
        finally
        {
            // The reader may still wait inside the iterator: let it see the cancellation before the iterator is
            // disposed.
            await stop.CancelAsync();
            try
            {
                await moved;
            }
            catch (OperationCanceledException) { }
            await next.DisposeAsync();
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // A browser names the page a POST comes from (Origin, Sec-Fetch-Site): one of another site is refused; a client
    // that is no browser names none.
    private static bool SameOrigin(HttpContext http)
    {
        if (http.Request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
            return false;
        var origin = http.Request.Headers.Origin.ToString();
        return origin.Length == 0
            || (
                Uri.TryCreate(origin, UriKind.Absolute, out var page)
                && string.Equals(page.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase)
            );
    }

    private static IResult Asset(HttpContext http, string name, string contentType)
    {
        // Our own scripts and styles only, never framed by another site (the page shows payments).
        http.Response.Headers.ContentSecurityPolicy =
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-cache";
        var stream = typeof(ConsoleEndpoints).Assembly.GetManifestResourceStream($"console/{name}");
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }

    public sealed record SignIn(string? Token);

    /// <summary>The operator a request is made as: <c>operator</c> or <c>viewer</c> (who may read only).</summary>
    public sealed record SignedIn(string Operator, string Role);
}
