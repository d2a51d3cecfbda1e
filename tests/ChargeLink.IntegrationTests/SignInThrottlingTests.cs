using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using ChargeLink.IntegrationTests.Support;
using Serilog.Events;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Guessing is throttled, as an attacker with a script would find: a few wrong passwords for a station, or wrong operator
/// tokens, and every attempt from that address gets 429 with Retry-After until the window ends, the right one included;
/// the log says it once, not once per guess. The station itself, from another address, still signs in: guesses from
/// one address do not lock it out everywhere. The deployment allows 3 failures a minute here (by default 10 per
/// station id and address or operator address, 100 per station address). Other addresses are 127.0.0.2 and 127.0.0.3,
/// loopback too.
/// </summary>
[TestFixture]
public sealed class SignInThrottlingTests : SystemFixture
{
    private const int Allowed = 3;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_SIGN_IN_FAILURES"] = Allowed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CHARGELINK_STATION_ADDRESS_FAILURES"] = Allowed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CHARGELINK_SIGN_IN_WINDOW_SECONDS"] = "60",
    };

    [Test]
    public async Task Wrong_station_passwords_lock_the_address_and_the_right_password_waits_there_but_not_elsewhere()
    {
        using var attacker = From("127.0.0.2");
        for (var attempt = 1; attempt <= Allowed; attempt++)
            Assert.That((await Upgrade(attacker, Deployment.SecuredChargePointId, "guess-" + attempt)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"guess {attempt}");

        using var locked = await Upgrade(attacker, Deployment.SecuredChargePointId, Deployment.SecuredPassword);
        Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the right password, from the address that guessed");
        Assert.That(locked.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 60), "Retry-After says when");
        using var otherStation = await Upgrade(attacker, Deployment.ChargePointId, null);
        Assert.That(otherStation.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "another station from the same address");

        // The station from its own address is not locked by another address's guesses: else anyone could keep it offline.
        using var elsewhere = From("127.0.0.3");
        Assert.That((await Upgrade(elsewhere, Deployment.SecuredChargePointId, Deployment.SecuredPassword)).StatusCode, Is.Not.EqualTo(HttpStatusCode.TooManyRequests).And.Not.EqualTo(HttpStatusCode.Unauthorized), "the guessed station, with its password, from another address");
        Assert.That((await Upgrade(elsewhere, Deployment.ChargePointId, null)).StatusCode, Is.Not.EqualTo(HttpStatusCode.TooManyRequests), "another station, from another address");

        var lines = Deployment.Logs.Events.Where(e => e.Level == LogEventLevel.Warning && LogCapture.Property(e, "Kind") == "station"
            && e.MessageTemplate.Text.Contains("sign-in refused for", StringComparison.Ordinal)).ToList();
        Assert.That(lines, Has.Count.EqualTo(1), "one line for the guesses, not one per guess: " + string.Join(" | ", lines.Select(l => l.RenderMessage())));
        await Eventually.True(async () => await Metric(Deployment.GatewayUrl, "chargelink_auth_throttled", "station") >= 2, TimeSpan.FromSeconds(30), "the two 429s are counted");
    }

    [Test]
    public async Task Wrong_operator_tokens_lock_the_address_for_the_console_and_the_API()
    {
        using var attacker = From("127.0.0.2", Deployment.OrchestratorUrl);
        for (var attempt = 1; attempt <= Allowed; attempt++)
        {
            using var wrong = await attacker.PostAsJsonAsync("/console/sign-in", new { token = "guess-" + attempt });
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"guess {attempt}");
        }
        using var right = await attacker.PostAsJsonAsync("/console/sign-in", new { token = Deployment.OperatorToken });
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the right token, from the address that guessed");
        Assert.That(right.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 60));
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/groups") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Deployment.OperatorToken) } };
        Assert.That((await attacker.SendAsync(bearer)).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the API with the right token, from the address that guessed");

        // The operator at another address is not locked out by someone else's guessing.
        using var operatorDesk = From("127.0.0.3", Deployment.OrchestratorUrl);
        using var own = new HttpRequestMessage(HttpMethod.Get, "/groups") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Deployment.OperatorToken) } };
        Assert.That((await operatorDesk.SendAsync(own)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var lines = Deployment.Logs.Events.Where(e => e.Level == LogEventLevel.Warning && LogCapture.Property(e, "Kind") == "operator"
            && e.MessageTemplate.Text.Contains("sign-in refused for", StringComparison.Ordinal)).ToList();
        Assert.That(lines, Has.Count.EqualTo(1), "one line for the guesses, not one per guess");
        await Eventually.True(async () => await Metric(Deployment.OrchestratorUrl, "chargelink_auth_throttled", "operator") >= 2, TimeSpan.FromSeconds(30), "the 429s are counted");
    }

    // A plain GET of the station's URL: the credentials are checked before the WebSocket upgrade, and the answer's headers show.
    private static async Task<HttpResponseMessage> Upgrade(HttpClient client, string chargePointId, string? password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/ocpp/{chargePointId}");
        if (password is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{chargePointId}:{password}")));
        return await client.SendAsync(request);
    }

    // A client whose connections come from another loopback address, as another machine's would.
    private HttpClient From(string address, Uri? service = null) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellation) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellation);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = service ?? Deployment.GatewayUrl };

    private async Task<double> Metric(Uri service, string name, string kind)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(Deployment.ManagementUrlOf(service), "/metrics"));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains($"kind=\"{kind}\"", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
