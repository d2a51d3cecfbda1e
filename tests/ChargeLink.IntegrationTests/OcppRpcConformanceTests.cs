using System.Text.Json.Nodes;
using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The gateway against a station no one here wrote: tests/ocpp-conformance/station.js (1.6) and station2.js (2.0.1,
/// 2.1), built on the npm package ocpp-rpc in strict mode, which validates every frame in both directions against the
/// OCA's schemas of the version. `make test` installs it (npm ci); a missing node or package fails this test with the reason.
/// </summary>
[TestFixture("station.js", "ocpp1.6", null)]
[TestFixture("station2.js", "ocpp2.0.1", "Central")]
[TestFixture("station2.js", "ocpp2.1", "DirectPayment")]
public sealed class OcppRpcConformanceTests(string script, string protocol, string? idTokenType) : SystemFixture
{
    [Test]
    public async Task A_strict_ocpp_rpc_station_boots_is_started_by_a_payment_charges_stops_and_is_captured()
    {
        var gateway = new UriBuilder(Deployment.GatewayUrl) { Scheme = "ws", Path = "/ocpp" }.Uri.ToString().TrimEnd('/');
        using var node = NodeStation.Start(script, gateway, Deployment.ChargePointId, protocol, energyWh: 27420);
        await node.Ready(TimeSpan.FromSeconds(30));
        var paymentId = $"pay_rpc_{protocol}_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, amountMinor: 5000));
        var done = await node.Done(TimeSpan.FromSeconds(60));
        Assert.Multiple(() =>
        {
            Assert.That(done["connectorId"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(done["authorize"]!.GetValue<string>(), Is.EqualTo("Accepted"), "the payment's idTag is authorized");
            Assert.That(done["start"]!.GetValue<string>(), Is.EqualTo("Accepted"));
            Assert.That(done["dataTransfer"]!.GetValue<string>(), Is.EqualTo("UnknownVendorId"));
            if (idTokenType is not null)
                Assert.That(done["idTokenType"]!.GetValue<string>(), Is.EqualTo(idTokenType), $"a payment's idToken in {protocol}");
        });

        var capture = (await Instruction(paymentId, TimeSpan.FromSeconds(20))).Json;
        Assert.That((capture["type"]!.GetValue<string>(), capture["amount"]!["value"]!.GetValue<long>()), Is.EqualTo(("payment.capture", 1234L)));
    }

    /// <summary>
    /// Issue 29 against the standard's own schemas: a strict ocpp-rpc station of the fixture's version takes an
    /// operator's unlock, refresh (TriggerMessage), out of service and back (ChangeAvailability), reset and stop (it would
    /// refuse a CALL its schemas reject, and ChargeLink would record the refusal as Failed); each answer goes on the
    /// group's record under the act's id, and the stopped session is captured from the station's own readings.
    /// </summary>
    [Test]
    public async Task A_strict_ocpp_rpc_station_takes_each_of_an_operators_acts_and_its_answers_are_recorded()
    {
        var gateway = new UriBuilder(Deployment.GatewayUrl) { Scheme = "ws", Path = "/ocpp" }.Uri.ToString().TrimEnd('/');
        using var node = NodeStation.Start("operator-acts.js", gateway, Deployment.ChargePointId, protocol, energyWh: 4000);
        await node.Ready(TimeSpan.FromSeconds(30));
        using var http = Deployment.OperatorClient();
        var station = $"/groups/{Deployment.GroupId}/stations/{Deployment.ChargePointId}";
        var connector = $"{station}/connectors/1";
        // One act after the other's answer: an act submitted before the last one on the same connector is too late.
        foreach (var (path, answer) in new[]
        {
            ($"{connector}/unlock", "Unlocked"), ($"{connector}/trigger-status", "Accepted"), ($"{connector}/out-of-service", "Accepted"),
            ($"{connector}/in-service", "Accepted"), ($"{station}/reset", "Accepted"),
        })
            await ActAnswered(http, path, answer, node);

        var paymentId = $"pay_rpc_acts_{protocol}_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, amountMinor: 5000));
        await Eventually.True(async () => JsonNode.Parse(await http.GetStringAsync($"/payments/{paymentId}"))!["status"]!.GetValue<string>() == "Charging",
            TimeSpan.FromSeconds(20), "the session charging:\n" + node.Output);
        await ActAnswered(http, $"/payments/{paymentId}/stop", "Accepted", node);
        var done = await node.Done(TimeSpan.FromSeconds(30));
        var start = V16 ? "RemoteStartTransaction" : "RequestStartTransaction";
        var stop = V16 ? "RemoteStopTransaction" : "RequestStopTransaction";
        Assert.That(done["acts"]!.AsArray().Select(a => a!.GetValue<string>()),
            Is.EqualTo(new[] { "UnlockConnector", "TriggerMessage", "ChangeAvailability", "ChangeAvailability", "Reset", start, stop }), node.Output);
        // 4,000 Wh x 45 / 1000 = 180.
        var capture = (await Instruction(paymentId, TimeSpan.FromSeconds(20))).Json;
        Assert.That((capture["type"]!.GetValue<string>(), capture["amount"]!["value"]!.GetValue<long>()), Is.EqualTo(("payment.capture", 180L)));
    }

    private bool V16 => protocol == "ocpp1.6";

    private async Task ActAnswered(HttpClient http, string path, string answer, NodeStation node)
    {
        var actId = $"rpc-{Guid.NewGuid():N}";
        var response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(http, path, new { reason = "conformance", actId });
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var answered = await Eventually.Get(async () => (await GroupEvents()).OfType<ChargeLink.Domain.Groups.OperatorActAnswered>().FirstOrDefault(a => a.ActId == actId),
            TimeSpan.FromSeconds(15), $"the answer to {path} on the record:\n" + node.Output);
        Assert.That(answered.Answer, Is.EqualTo(answer), $"{path}\n{node.Output}");
    }
}
