using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Serilog.Events;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Issue 29 through the real services: named operators (a credentials file of name, role and token hash, beside
/// CHARGELINK_OPERATOR_TOKEN's development operator), a viewer who may read but not act, and the first act, voiding a
/// payment that waits for a connector: the record names who and why, the payment cloud gets one void with reason
/// voided-by-operator, and the payment never starts afterwards.
/// </summary>
[TestFixture]
public sealed class OperatorActsTests : SystemFixture
{
    private const int Voided = 0, ViewerTried = 1, Refused = 2, DoubleClick = 3, DevOperator = 4;
    private static readonly string AliceToken = RandomToken(), VictorToken = RandomToken();
    private static readonly string OperatorsFile = WriteOperatorsFile();

    protected override int Groups => 5;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_OPERATORS"] = OperatorsFile,
    };

    [Test]
    public async Task A_waiting_payment_voided_by_a_named_operator_is_voided_once_with_who_and_why_and_never_starts()
    {
        var paymentId = $"pay_opvoid_{Deployment.RunId}";
        await AWaitingPayment(Voided, paymentId);

        using var alice = ClientOf(AliceToken);
        var response = await alice.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "driver gave up at the terminal" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());

        var instruction = await Instruction(paymentId);
        Assert.That((instruction.Json["type"]!.GetValue<string>(), instruction.Json["reason"]!.GetValue<string>()), Is.EqualTo(("payment.void", "voided-by-operator")));
        var events = (await GroupEvents(Deployment.GroupIdOf(Voided))).ToList();
        var acted = events.OfType<OperatorActed>().Single(a => a.PaymentId == paymentId);
        Assert.Multiple(() =>
        {
            Assert.That((acted.Operator, acted.Act, acted.Reason), Is.EqualTo(("alice", OperatorActs.VoidPayment, "driver gave up at the terminal")));
            Assert.That(events.IndexOf(acted), Is.LessThan(events.IndexOf(events.OfType<PaymentVoidRequested>().Single(v => v.PaymentId == paymentId))), "who and why before the void");
        });

        // A car plugs in now, and the next driver pays: the voided payment never takes the connector.
        await using var station = await AStationWithAnOccupiedConnector(Voided);
        var next = $"pay_opvoid_next_{Deployment.RunId}";
        var start = await APaymentAskedToStart(station, Voided, next);
        Assert.That(start[3]!["idTag"]!.GetValue<string>(), Is.EqualTo(Deployment.IdTagOf(next)), "the first start after the void is the next payment's");
        await AssertNoSecondInstruction(Voided, paymentId);
    }

    [Test]
    public async Task A_viewer_reads_but_an_act_gets_403_is_logged_and_changes_nothing()
    {
        var paymentId = $"pay_viewer_{Deployment.RunId}";
        await AWaitingPayment(ViewerTried, paymentId);
        using var victor = ClientOf(VictorToken);

        Assert.That((await victor.GetAsync($"/payments/{paymentId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a viewer reads");
        var response = await victor.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "just looking" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(Deployment.Logs.Events.Any(e => e.Level == LogEventLevel.Warning && LogCapture.Property(e, "Operator") == "victor"
            && e.RenderMessage().Contains("may not act", StringComparison.Ordinal)), "the refusal is logged with the viewer's name");
        var record = JsonNode.Parse(await victor.GetStringAsync($"/payments/{paymentId}"))!;
        Assert.That(record["status"]!.GetValue<string>(), Is.EqualTo("Waiting"), "nothing was sent");
        Assert.That((await GroupEvents(Deployment.GroupIdOf(ViewerTried))).OfType<OperatorActed>(), Is.Empty);
    }

    [Test]
    public async Task An_act_that_cannot_be_done_gets_a_clear_4xx_and_sends_nothing()
    {
        using var alice = ClientOf(AliceToken);
        var unknown = await alice.PostAsJsonAsync($"/payments/pay_never_{Deployment.RunId}/void", new { reason = "gone" });
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), await unknown.Content.ReadAsStringAsync());

        var paymentId = $"pay_refused_{Deployment.RunId}";
        await AWaitingPayment(Refused, paymentId);
        var noReason = await alice.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "  " });
        Assert.That(noReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "the audit needs a reason");

        // Once it is starting, it is the station's (stop the session instead): 409, and it starts as asked.
        await using var station = await AStationWithAnOccupiedConnector(Refused);
        var start = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        await Eventually.True(async () => JsonNode.Parse(await alice.GetStringAsync($"/payments/{paymentId}"))!["status"]!.GetValue<string>() == "Starting",
            TimeSpan.FromSeconds(10), "the read side sees the start");
        var starting = await alice.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "too late" });
        Assert.That(starting.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), await starting.Content.ReadAsStringAsync());
        Assert.That((await GroupEvents(Deployment.GroupIdOf(Refused))).OfType<OperatorActed>(), Is.Empty);
        Assert.That(start[3]!["idTag"]!.GetValue<string>(), Is.EqualTo(Deployment.IdTagOf(paymentId)));
    }

    [Test]
    public async Task A_double_submission_voids_once()
    {
        var paymentId = $"pay_double_{Deployment.RunId}";
        await AWaitingPayment(DoubleClick, paymentId);
        using var alice = ClientOf(AliceToken);
        var both = await Task.WhenAll(
            alice.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "double click" }),
            alice.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "double click" }));
        Assert.That(both.Select(r => r.StatusCode), Has.Some.EqualTo(HttpStatusCode.Accepted));
        Assert.That(both.Select(r => r.StatusCode), Is.All.AnyOf(HttpStatusCode.Accepted, HttpStatusCode.Conflict));

        await Instruction(paymentId);
        await AssertNoSecondInstruction(DoubleClick, paymentId);
        Assert.That((await GroupEvents(Deployment.GroupIdOf(DoubleClick))).OfType<OperatorActed>().Count(a => a.PaymentId == paymentId), Is.EqualTo(1), "one act on the record");
    }

    [Test]
    public async Task The_development_token_still_acts_as_the_operator_named_operator()
    {
        var paymentId = $"pay_devop_{Deployment.RunId}";
        await AWaitingPayment(DevOperator, paymentId);
        using var dev = Deployment.OperatorClient();
        var response = await dev.PostAsJsonAsync($"/payments/{paymentId}/void", new { reason = "support call" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var acted = await Eventually.Get(async () => (await GroupEvents(Deployment.GroupIdOf(DevOperator))).OfType<OperatorActed>().FirstOrDefault(a => a.PaymentId == paymentId),
            TimeSpan.FromSeconds(10), "the act on the record");
        Assert.That(acted.Operator, Is.EqualTo("operator"));
    }

    // A payment authorized at the group's terminal, with no connector occupied: it waits.
    private async Task AWaitingPayment(int group, string paymentId)
    {
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(group)));
        using var http = Deployment.OperatorClient();
        await Eventually.True(async () =>
        {
            var response = await http.GetAsync($"/payments/{paymentId}");
            return response.IsSuccessStatusCode && JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>() == "Waiting";
        }, TimeSpan.FromSeconds(10), $"{paymentId} waits");
    }

    private HttpClient ClientOf(string token)
    {
        var http = new HttpClient { BaseAddress = Deployment.OrchestratorUrl };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static string RandomToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private static string WriteOperatorsFile()
    {
        static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var path = Path.Combine(Path.GetTempPath(), $"chargelink-operators-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, new JsonObject
        {
            ["operators"] = new JsonArray(
                new JsonObject { ["name"] = "alice", ["role"] = "operator", ["tokenSha256"] = Hash(AliceToken) },
                new JsonObject { ["name"] = "victor", ["role"] = "viewer", ["tokenSha256"] = Hash(VictorToken) }),
        }.ToJsonString());
        return path;
    }
}
