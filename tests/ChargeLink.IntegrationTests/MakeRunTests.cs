using System.Text.Json;
using System.Text.Json.Nodes;
using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Npgsql;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// `make run` with OCPP security profile 2, as a new operator tries it: infra/run.sh (what `make run` runs after the build)
/// with an https gateway URL and a self-signed certificate that nothing on this machine trusts. It must get ready, say
/// where stations connect (wss://), serve a station with its password, and stop all three services on SIGTERM.
/// The services are real processes of the build on the shared broker, so each test stops them all before it ends.
/// </summary>
[TestFixture]
public sealed class MakeRunTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);
    private string _runId = null!;
    private TestCertificate _certificate = null!;
    private string _topologyPath = null!;
    private RunScript? _run;

    private string Schema => $"test_{_runId}";
    private string ChargePointId => $"CP-{_runId}";
    private string Password => $"pw-{_runId}";

    [SetUp]
    public async Task WriteCertificateAndTopology()
    {
        _runId = Guid.NewGuid().ToString("N")[..8];
        _certificate = TestCertificate.Create();
        _topologyPath = Path.Combine(Path.GetTempPath(), $"chargelink-topology-{_runId}.json");
        // One station, with a password: security profile 2 is Basic credentials over TLS.
        await File.WriteAllTextAsync(_topologyPath, JsonSerializer.Serialize(new
        {
            stationGroups = new[]
            {
                new
                {
                    id = $"site-{_runId}",
                    name = "make run test site",
                    tariff = new { pricePerKwhMinor = 45, currency = "EUR" },
                    terminals = new[] { $"TERM-{_runId}" },
                    stations = new[] { new { chargePointId = ChargePointId, connectors = new[] { 1 }, password = Password } },
                },
            },
        }));
    }

    [Test]
    public async Task With_TLS_and_a_self_signed_certificate_make_run_gets_ready_serves_a_station_over_wss_and_stops_on_SIGTERM()
    {
        var ports = new Ports();
        var gateway = new Uri($"https://127.0.0.1:{ports.Gateway}");
        _run = await RunScript.Start(Environment(ports, gateway, _certificate));

        Assert.That(await _run.Prints("ChargeLink ready", StartDeadline), Is.True, $"infra/run.sh printed `ChargeLink ready` within {StartDeadline.TotalSeconds} s (it is {_run.State})");
        Assert.That(_run.Output, Does.Contain($"wss://127.0.0.1:{ports.Gateway}/ocpp/{{chargePointId}}"), "where stations connect: wss:// for an https gateway");

        // The station trusts the test's certificate and nothing else: no CA of this machine is involved.
        await using (var station = await StationSimulator.Connect(gateway, ChargePointId, Password, trustServer: _certificate.IsThis))
        {
            var boot = await station.Call("BootNotification", new JsonObject { ["chargePointVendor"] = "V", ["chargePointModel"] = "M" });
            Assert.That(boot[2]!["status"]!.GetValue<string>(), Is.EqualTo("Accepted"), boot.ToJsonString());
        }
        var refused = Assert.ThrowsAsync<UpgradeRefusedException>(() => StationSimulator.Connect(gateway, ChargePointId, "wrong-" + Password, trustServer: _certificate.IsThis));
        Assert.That(refused!.StatusCode, Is.EqualTo(401));

        // To run.sh alone, as `kill` or a service manager sends it: its trap must stop the three services itself.
        await _run.Signal("TERM");
        Assert.That(await _run.Exits(TimeSpan.FromSeconds(60)), Is.True, "infra/run.sh exited within 60 s of SIGTERM");
        Assert.Multiple(() =>
        {
            Assert.That(_run.ExitCode, Is.Zero, "asked to stop, run.sh stops without an error");
            Assert.That(_run.Output, Does.Contain("stopped"));
        });
        await AssertAllStopped(ports);
    }

    [Test]
    public async Task A_strict_2_0_1_and_a_strict_2_1_station_pointed_at_make_run_charge_for_a_payment_each_and_end_in_a_capture()
    {
        // Two sites, one station each: which payment starts which station is then the topology's, not the order of arrival.
        var sites = new[] { ("ocpp2.0.1", "Central"), ("ocpp2.1", "DirectPayment") };
        await File.WriteAllTextAsync(_topologyPath, JsonSerializer.Serialize(new
        {
            stationGroups = sites.Select((site, i) => new
            {
                id = $"site-{_runId}-{i}",
                name = $"{site.Item1} site",
                tariff = new { pricePerKwhMinor = 45, currency = "EUR" },
                terminals = new[] { $"TERM-{_runId}-{i}" },
                stations = new[] { new { chargePointId = $"CP-{_runId}-{i}", connectors = new[] { 1 }, securityProfile = 0 } },
            }).ToArray(),
        }));
        var ports = new Ports();
        var environment = Environment(ports, new Uri($"http://127.0.0.1:{ports.Gateway}"), certificate: null);
        // What README tells a new user: no secret set, so make run's development default, which it states.
        environment["CHARGELINK_PAYMENT_SECRET"] = null;
        environment["CHARGELINK_OPERATOR_TOKEN"] = null;
        _run = await RunScript.Start(environment);
        Assert.That(await _run.Prints("ChargeLink ready", StartDeadline), Is.True, $"infra/run.sh printed `ChargeLink ready` within {StartDeadline.TotalSeconds} s (it is {_run.State})");
        Assert.That(_run.Output, Does.Contain("'dev-secret'").And.Contain($"ws://127.0.0.1:{ports.Gateway}/ocpp/{{chargePointId}}").And.Contain("ocpp2.1, ocpp2.0.1 or ocpp1.6"));
        Assert.That(_run.Output, Does.Contain("Development mode (CHARGELINK_ENVIRONMENT=development)"), "make run states that it runs in development mode");
        // The console, where make run says, answering the development default it states.
        Assert.That(_run.Output, Does.Contain($"http://127.0.0.1:{ports.Orchestrator}/console").And.Contain("'dev-operator'"));
        using (var operatorApi = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.Orchestrator}") })
        {
            Assert.That((await operatorApi.GetAsync("/groups")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized), "the read API without the token");
            operatorApi.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "dev-operator");
            Assert.That((await operatorApi.GetAsync("/groups")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), "the read API with make run's token");
        }

        var gateway = $"ws://127.0.0.1:{ports.Gateway}/ocpp";
        var stations = sites.Select((site, i) => NodeStation.Start("station2.js", gateway, $"CP-{_runId}-{i}", site.Item1, energyWh: 27420)).ToList();
        await using var cloud = new PaymentCloudSimulator(RealServices.PaymentCloud, "dev-secret");
        try
        {
            foreach (var station in stations)
                await station.Ready(TimeSpan.FromSeconds(30));
            for (var i = 0; i < sites.Length; i++)
                await cloud.PublishAuthorization(PaymentCloudSimulator.Authorization($"pay_{_runId}_{i}", $"TERM-{_runId}-{i}", amountMinor: 5000));
            for (var i = 0; i < sites.Length; i++)
            {
                var done = await stations[i].Done(TimeSpan.FromSeconds(60));
                Assert.That((done["start"]!.GetValue<string>(), done["idTokenType"]!.GetValue<string>()), Is.EqualTo(("Accepted", sites[i].Item2)), sites[i].Item1);
            }

            // 27,420 Wh at 45 cents a kWh is 1,233.9 cents: 1,234 captured, for each.
            var captures = new Dictionary<string, JsonNode>();
            await Eventually.True(async () =>
            {
                while (await cloud.Take(PaymentCloudQueues.Instructions) is { } message)
                {
                    var json = JsonNode.Parse(message.Body.Span)!;
                    if (json["paymentId"]?.GetValue<string>() is { } id && id.StartsWith($"pay_{_runId}_", StringComparison.Ordinal))
                        captures[id] = json;
                }
                return captures.Count == sites.Length;
            }, TimeSpan.FromSeconds(30), "an instruction for each payment");
            Assert.That(captures.Values.Select(c => (c["type"]!.GetValue<string>(), c["amount"]!["value"]!.GetValue<long>(), c["energyWh"]!.GetValue<long>())),
                Is.All.EqualTo(("payment.capture", 1234L, 27420L)));
        }
        finally
        {
            foreach (var station in stations)
                station.Dispose();
        }
        await _run.Signal("TERM");
        Assert.That(await _run.Exits(TimeSpan.FromSeconds(60)), Is.True, "infra/run.sh exited within 60 s of SIGTERM");
        await AssertAllStopped(ports);
    }

    [Test]
    public async Task With_https_and_no_certificate_make_run_says_a_service_exited_and_stops_the_others()
    {
        var ports = new Ports();
        _run = await RunScript.Start(Environment(ports, new Uri($"https://127.0.0.1:{ports.Gateway}"), certificate: null));

        Assert.That(await _run.Exits(StartDeadline), Is.True, $"infra/run.sh gave up within {StartDeadline.TotalSeconds} s");
        Assert.Multiple(() =>
        {
            Assert.That(_run.ExitCode, Is.Not.Zero, "a start that failed fails `make run`");
            Assert.That(_run.Output, Does.Contain("set CHARGELINK_GATEWAY_CERTIFICATE"), "the gateway says what is missing");
            Assert.That(_run.Output, Does.Contain("a service exited during start"));
            Assert.That(_run.Output, Does.Not.Contain("ChargeLink ready"));
        });
        await AssertAllStopped(ports);
    }

    private async Task AssertAllStopped(Ports ports)
    {
        await Eventually.True(() => Task.FromResult(_run!.ProcessesLeft().Count == 0), TimeSpan.FromSeconds(10), "no process run.sh started is left");
        await Eventually.True(() => Task.FromResult(ports.All.All(LoopbackPorts.IsFree)), TimeSpan.FromSeconds(10), $"ports {string.Join(", ", ports.All)} are free again");
    }

    /// <summary>What `make run` would see, on loopback ports of the test's own, with the test's database schema and topology.</summary>
    /// <param name="certificate">Null: no CHARGELINK_GATEWAY_CERTIFICATE at all, even if the test process has one.</param>
    private Dictionary<string, string?> Environment(Ports ports, Uri gateway, TestCertificate? certificate) => new()
    {
        // What README tells a new user: the mode is make run's own default.
        ["CHARGELINK_ENVIRONMENT"] = null,
        ["CHARGELINK_GATEWAY_URL"] = gateway.GetLeftPart(UriPartial.Authority),
        ["CHARGELINK_ORCHESTRATOR_URL"] = $"http://127.0.0.1:{ports.Orchestrator}",
        ["CHARGELINK_PAYMENT_URL"] = $"http://127.0.0.1:{ports.Payment}",
        ["CHARGELINK_GATEWAY_MANAGEMENT_URL"] = $"http://127.0.0.1:{ports.GatewayManagement}",
        ["CHARGELINK_ORCHESTRATOR_MANAGEMENT_URL"] = $"http://127.0.0.1:{ports.OrchestratorManagement}",
        ["CHARGELINK_PAYMENT_ADAPTER_MANAGEMENT_URL"] = $"http://127.0.0.1:{ports.PaymentManagement}",
        ["CHARGELINK_GATEWAY_CERTIFICATE"] = certificate?.Path,
        ["CHARGELINK_GATEWAY_CERTIFICATE_PASSWORD"] = certificate?.Password,
        ["CHARGELINK_RABBITMQ"] = RealServices.RabbitMq,
        ["CHARGELINK_POSTGRES"] = RealServices.Postgres,
        ["CHARGELINK_POSTGRES_SCHEMA"] = Schema,
        ["CHARGELINK_TOPOLOGY"] = _topologyPath,
    };

    [Test]
    public async Task Outside_development_no_service_starts_on_a_development_secret_and_each_names_what_is_missing()
    {
        var ports = new Ports();
        var environment = Environment(ports, new Uri($"http://127.0.0.1:{ports.Gateway}"), certificate: null);
        environment["CHARGELINK_ENVIRONMENT"] = "production";
        environment["CHARGELINK_PAYMENT_SECRET"] = null;
        // Set, but to a development value: as public as unset.
        environment["CHARGELINK_OPERATOR_TOKEN"] = "dev-operator";
        foreach (var service in new[] { "GATEWAY", "ORCHESTRATOR", "PAYMENT_ADAPTER" })
            environment[$"CHARGELINK_{service}_BROKER_PASSWORD"] = null;
        _run = await RunScript.Start(environment);

        Assert.That(await _run.Exits(TimeSpan.FromSeconds(60)), Is.True, $"infra/run.sh stops when its services refuse to start (it is {_run.State})");
        Assert.That(_run.ExitCode, Is.Not.EqualTo(0), "make run fails");
        Assert.That(_run.Output, Does.Not.Contain("ChargeLink ready"));
        foreach (var line in new[]
        {
            "orchestrator: refusing to start: CHARGELINK_ORCHESTRATOR_BROKER_PASSWORD is not set",
            "orchestrator: refusing to start: CHARGELINK_OPERATOR_TOKEN holds a development default ('dev-operator')",
            "payment-adapter: refusing to start: CHARGELINK_PAYMENT_SECRET is not set",
        })
        {
            Assert.That(_run.Output, Does.Contain(line));
        }
        Assert.That(_run.Output, Does.Not.Contain("'dev-secret'"), "no development default is taken outside development");
    }

    private sealed class Ports
    {
        public int Gateway { get; } = LoopbackPorts.Free();
        public int Orchestrator { get; } = LoopbackPorts.Free();
        public int Payment { get; } = LoopbackPorts.Free();
        public int GatewayManagement { get; } = LoopbackPorts.Free();
        public int OrchestratorManagement { get; } = LoopbackPorts.Free();
        public int PaymentManagement { get; } = LoopbackPorts.Free();
        public IEnumerable<int> All => [Gateway, Orchestrator, Payment, GatewayManagement, OrchestratorManagement, PaymentManagement];
    }

    [TearDown]
    public async Task StopEverything()
    {
        try
        {
            if (_run is not null && TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            {
                TestContext.Out.WriteLine($"infra/run.sh (process group {_run.Id}) printed:");
                TestContext.Out.WriteLine(_run.Output);
                if (_run.ProcessesLeft() is { Count: > 0 } left)
                    TestContext.Out.WriteLine($"still running, now killed: {string.Join("; ", left)}");
            }
        }
        finally
        {
            if (_run is not null)
                await _run.DisposeAsync();
            _run = null;
            _certificate.Dispose();
            File.Delete(_topologyPath);
            await RealServices.DropSchema(Schema);
        }
    }
}
