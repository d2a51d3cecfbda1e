using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChargeLink.IntegrationTests.Support;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The read API and the console answer the operator only (CHARGELINK_OPERATOR_TOKEN as a bearer token, or the console's
/// cookie), tried with what an outsider or a neighbour has: nothing, the development default, the payment cloud's
/// signing secret, the token itself as a cookie, a cookie of another token. /health/ready (its status only) and the OpenAPI
/// document stay open, and the document describes every path the operator reads; /metrics and the health in detail are
/// on each service's management address only.
/// </summary>
[TestFixture]
public sealed class ReadApiAccessTests : SystemFixture
{
    // Wrong tokens by the dozen are this fixture's point; the 429 that follows ten a minute is SignInThrottlingTests'.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["CHARGELINK_SIGN_IN_FAILURES"] = "1000" };

    private static readonly string[] OperatorPaths =
    [
        "/groups", "/groups/{group}", "/groups/{group}/settled", "/sessions", "/payments/pay_x", "/payments/pay_x/story", "/console/events", "/console/me",
    ];

    private string Path(string template) => template.Replace("{group}", Deployment.GroupId, StringComparison.Ordinal);

    [Test]
    public async Task Without_the_operators_token_every_read_is_401_and_with_it_200()
    {
        using var anonymous = new HttpClient { BaseAddress = Deployment.OrchestratorUrl };
        foreach (var template in OperatorPaths)
        {
            var path = Path(template);
            using var refused = await anonymous.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"{path} without a token");
            Assert.That(refused.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"), $"{path} says how to authenticate");
            foreach (var (what, token) in new[] { ("the development default", "dev-operator"), ("the payment cloud's signing secret", Deployment.PaymentSecret), ("an empty token", "") })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
                using var wrong = await anonymous.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"{path} with {what}");
            }
        }

        using var http = Deployment.OperatorClient();
        foreach (var template in OperatorPaths)
        {
            var path = Path(template);
            using var answer = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            var expected = path.StartsWith("/payments/", StringComparison.Ordinal) ? HttpStatusCode.NotFound : HttpStatusCode.OK;
            Assert.That(answer.StatusCode, Is.EqualTo(expected), $"{path} with the operator's token");
        }
    }

    [Test]
    public async Task Readiness_and_the_OpenAPI_document_are_open_and_the_console_page_asks_for_the_token()
    {
        using var anonymous = new HttpClient { BaseAddress = Deployment.OrchestratorUrl };
        foreach (var path in new[] { "/health/ready", "/openapi/v1.json", "/console", "/console/assets/console.js" })
            Assert.That((await anonymous.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        using var shell = await anonymous.GetAsync("/console");
        Assert.That(await shell.Content.ReadAsStringAsync(), Does.Contain("Operator sign-in").And.Not.Contain(Deployment.GroupId), "the page shell holds no data");
        Assert.That(shell.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("frame-ancestors 'none'").And.Contain("default-src 'self'"), "no other site frames it or feeds it scripts");
        Assert.That(await anonymous.GetStringAsync("/openapi/v1.json"), Does.Not.Contain("dev-operator"), "the API's description names no secret");
    }

    [Test]
    public async Task Metrics_and_the_health_in_detail_are_served_on_the_management_address_only()
    {
        foreach (var service in new[] { Deployment.OrchestratorUrl, Deployment.GatewayUrl, Deployment.PaymentUrl })
        {
            using var main = new HttpClient { BaseAddress = service };
            using var management = new HttpClient { BaseAddress = Deployment.ManagementUrlOf(service) };
            Assert.That((await main.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"{service}metrics");
            // Asking for the management address by name changes nothing: the port decides, not the Host header.
            using var forged = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Host = Deployment.ManagementUrlOf(service).Authority } };
            Assert.That((await main.SendAsync(forged)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"{service}metrics with the management address as Host");
            Assert.That(await management.GetStringAsync("/metrics"), Does.Contain("process_cpu_seconds_total"), $"{management.BaseAddress}metrics");

            var ready = JsonNode.Parse(await main.GetStringAsync("/health/ready"))!.AsObject();
            Assert.That(ready.Select(p => p.Key), Is.EqualTo(new[] { "status" }), $"{service}health/ready tells the status only");
            var detailed = JsonNode.Parse(await management.GetStringAsync("/health/ready"))!;
            Assert.That(detailed["checks"]!.AsObject().Count, Is.GreaterThan(0), $"{management.BaseAddress}health/ready tells each check");
            Assert.That((await management.GetAsync("/groups")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the management address serves nothing else");
        }
    }

    [Test]
    public async Task The_console_cookie_comes_only_for_the_token_and_is_not_the_token()
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = Deployment.OrchestratorUrl };
        using var wrong = await browser.PostAsJsonAsync("/console/sign-in", new { token = "dev-operator" });
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(cookies.GetAllCookies(), Is.Empty, "no cookie for a wrong token");

        using var right = await browser.PostAsJsonAsync("/console/sign-in", new { token = Deployment.OperatorToken });
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var cookie = cookies.GetAllCookies().Single();
        Assert.Multiple(() =>
        {
            Assert.That(cookie.HttpOnly, Is.True, "scripts cannot read it");
            Assert.That(cookie.Value, Does.Not.Contain(Deployment.OperatorToken), "the cookie is no token");
        });
        Assert.That((await browser.GetAsync("/groups")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "signed in by the cookie");

        // Forged cookies: the token itself, and the cookie the first version derived from the development token.
        foreach (var forged in new[] { Deployment.OperatorToken, OldCookieOf("dev-operator") })
            Assert.That(await WithCookie(Deployment.OrchestratorUrl, forged), Is.EqualTo(HttpStatusCode.Unauthorized), $"cookie {forged}");

        // Sign-out ends the session on the server: the same cookie, replayed (as a thief who copied it would), opens nothing,
        // here or on another instance of the deployment.
        var second = await Deployment.StartOrchestrator();
        Assert.That(await WithCookie(second, cookie.Value), Is.EqualTo(HttpStatusCode.OK), "a session holds on every instance");
        using var signOut = await browser.PostAsync("/console/sign-out", null);
        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await WithCookie(Deployment.OrchestratorUrl, cookie.Value), Is.EqualTo(HttpStatusCode.Unauthorized), "the replayed cookie, after sign-out");
        Assert.That(await WithCookie(second, cookie.Value), Is.EqualTo(HttpStatusCode.Unauthorized), "the replayed cookie, on the other instance");
    }

    [Test]
    public async Task A_session_opened_with_one_token_ends_when_the_token_is_rotated()
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = Deployment.OrchestratorUrl };
        using var signIn = await browser.PostAsJsonAsync("/console/sign-in", new { token = Deployment.OperatorToken });
        var cookie = cookies.GetAllCookies().Single().Value;
        // The deployment restarted with a new token: an instance that holds it, on the same database.
        var rotated = await Deployment.StartOrchestrator(settings: new Dictionary<string, string?> { ["CHARGELINK_OPERATOR_TOKEN"] = "rotated-" + Deployment.RunId });
        Assert.That(await WithCookie(Deployment.OrchestratorUrl, cookie), Is.EqualTo(HttpStatusCode.OK), "the session of the old token, where the old token holds");
        Assert.That(await WithCookie(rotated, cookie), Is.EqualTo(HttpStatusCode.Unauthorized), "the session of the old token, where the new one holds");
    }

    [Test]
    public async Task Behind_a_TLS_proxy_the_console_cookie_is_Secure_though_the_request_is_plain_HTTP()
    {
        var proxied = await Deployment.StartOrchestrator(settings: new Dictionary<string, string?> { ["CHARGELINK_BEHIND_TLS"] = "true" });
        foreach (var (orchestrator, secure) in new[] { (proxied, true), (Deployment.OrchestratorUrl, false) })
        {
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = orchestrator };
            using var signIn = await http.PostAsJsonAsync("/console/sign-in", new { token = Deployment.OperatorToken });
            var cookie = signIn.Headers.GetValues("Set-Cookie").Single();
            Assert.That(cookie.Contains("secure", StringComparison.OrdinalIgnoreCase), Is.EqualTo(secure), cookie);
        }
    }

    [Test]
    public async Task Sign_in_and_sign_out_from_another_sites_page_and_a_foreign_Host_are_refused()
    {
        using var http = new HttpClient { BaseAddress = Deployment.OrchestratorUrl };
        foreach (var path in new[] { "/console/sign-in", "/console/sign-out" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { token = Deployment.OperatorToken }) };
            request.Headers.Add("Origin", "https://evil.example");
            using var answer = await http.SendAsync(request);
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
            Assert.That(answer.Headers.Contains("Set-Cookie"), Is.False, $"{path}: no session for another site's page");
        }
        // DNS rebinding: a name that resolves to this machine for a browser, but is not one the orchestrator answers to.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/groups") { Headers = { Host = "attacker.example", Authorization = new AuthenticationHeaderValue("Bearer", Deployment.OperatorToken) } };
        Assert.That((await http.SendAsync(rebound)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a foreign Host header");
        using var local = new HttpRequestMessage(HttpMethod.Get, "/groups") { Headers = { Host = $"localhost:{Deployment.OrchestratorUrl.Port}", Authorization = new AuthenticationHeaderValue("Bearer", Deployment.OperatorToken) } };
        Assert.That((await http.SendAsync(local)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a loopback name");
    }

    private static async Task<HttpStatusCode> WithCookie(Uri orchestrator, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/groups");
        request.Headers.Add("Cookie", $"chargelink_operator={cookie}");
        using var plain = new HttpClient { BaseAddress = orchestrator };
        return (await plain.SendAsync(request)).StatusCode;
    }

    [Test]
    public async Task The_OpenAPI_document_describes_the_read_API_and_its_bearer_token()
    {
        using var anonymous = new HttpClient { BaseAddress = Deployment.OrchestratorUrl };
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(document["openapi"]!.GetValue<string>(), Does.StartWith("3."));
            Assert.That(paths, Is.SupersetOf(new[] { "/groups", "/groups/{groupId}", "/groups/{groupId}/settled", "/sessions", "/payments/{paymentId}", "/payments/{paymentId}/story", "/console/events" }));
            Assert.That(paths, Has.None.StartsWith("/console/sign"), "the console's own sign-in is not part of the API");
            Assert.That(paths, Has.None.StartsWith("/health"), "health is for probes, not part of the API");
            // Each answer's shape, so that a client can be generated from the document.
            foreach (var path in new[] { "/groups", "/groups/{groupId}", "/groups/{groupId}/settled", "/sessions", "/payments/{paymentId}", "/payments/{paymentId}/story" })
            {
                var responses = document["paths"]![path]!["get"]!["responses"]!;
                Assert.That(responses["200"]?["content"]?["application/json"]?["schema"], Is.Not.Null, $"{path}: the schema of its 200");
                if (path.Contains('{', StringComparison.Ordinal))
                    Assert.That(responses["404"]?["content"]?["application/json"]?["schema"], Is.Not.Null, $"{path}: the schema of its 404");
            }
            Assert.That(document["components"]!["schemas"]!.AsObject().Select(s => s.Key), Is.SupersetOf(new[] { "GroupOverview", "GroupNow", "PaymentRecord", "SessionRow", "ApiError" }));
            var scheme = document["components"]!["securitySchemes"]!["operator"]!;
            Assert.That((scheme["type"]!.GetValue<string>(), scheme["scheme"]!.GetValue<string>()), Is.EqualTo(("http", "bearer")));
            Assert.That(document["security"]!.AsArray().Single()!.AsObject().Select(s => s.Key), Is.EqualTo(new[] { "operator" }));
        });
    }

    // What the console's cookie would hold for another token: the same keyed hash the orchestrator computes, from the
    // description in OperatorAuthentication (HMAC-SHA256 keyed with the token over a fixed text), written out here.
    private static string OldCookieOf(string token) =>
        Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token), "chargelink console session"u8));
}
