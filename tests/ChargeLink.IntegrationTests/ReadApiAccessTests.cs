using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChargeLink.IntegrationTests.Support;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The read API and the console answer the operator only (CHARGELINK_OPERATOR_TOKEN as a bearer token, or the console's
/// cookie), tried with what an outsider or a neighbour has: nothing, the development default, the payment cloud's
/// signing secret, the token itself as a cookie, a cookie of another token. /health/ready, /metrics and the OpenAPI
/// document stay open, and the document describes every path the operator reads.
/// </summary>
[TestFixture]
public sealed class ReadApiAccessTests : SystemFixture
{
    private static readonly string[] OperatorPaths =
    [
        "/groups", "/groups/{group}", "/groups/{group}/settled", "/sessions", "/payments/pay_x", "/payments/pay_x/story", "/console/events",
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
    public async Task Health_metrics_and_the_OpenAPI_document_are_open_and_the_console_page_asks_for_the_token()
    {
        using var anonymous = new HttpClient { BaseAddress = Deployment.OrchestratorUrl };
        foreach (var path in new[] { "/health/ready", "/metrics", "/openapi/v1.json", "/console", "/console/assets/console.js" })
            Assert.That((await anonymous.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        using var shell = await anonymous.GetAsync("/console");
        Assert.That(await shell.Content.ReadAsStringAsync(), Does.Contain("Operator sign-in").And.Not.Contain(Deployment.GroupId), "the page shell holds no data");
        Assert.That(shell.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("frame-ancestors 'none'").And.Contain("default-src 'self'"), "no other site frames it or feeds it scripts");
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

        // Forged cookies: the token itself, and the cookie another deployment's token would give.
        foreach (var forged in new[] { Deployment.OperatorToken, OrchestratorCookieOf("dev-operator") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/groups");
            request.Headers.Add("Cookie", $"chargelink_operator={forged}");
            using var plain = new HttpClient { BaseAddress = Deployment.OrchestratorUrl };
            Assert.That((await plain.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"cookie {forged}");
        }

        using var signOut = await browser.PostAsync("/console/sign-out", null);
        Assert.That((await browser.GetAsync("/groups")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "signed out");
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
    private static string OrchestratorCookieOf(string token) =>
        Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token), "chargelink console session"u8));
}
