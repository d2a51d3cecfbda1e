using System.Text.Json;
using ChargeLink.Gateway;
using ChargeLink.IntegrationTests;
using ChargeLink.Orchestrator;
using ChargeLink.PaymentAdapter;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Serilog.Core;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>
/// The three services, started in this process on real Kestrel sockets (port 0), against the real broker
/// and database, with a topology and a PostgreSQL schema of their own so runs do not see each other.
/// </summary>
public sealed class ChargeLinkSystem : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private readonly string _topologyPath;
    private IReadOnlyDictionary<string, string?> _overrides = new Dictionary<string, string?>();

    private ChargeLinkSystem(string runId, string topologyPath, string schema)
    {
        RunId = runId;
        _topologyPath = topologyPath;
        Schema = schema;
    }

    public string RunId { get; }

    /// <summary>The topology file this deployment runs with.</summary>
    public string TopologyPath => _topologyPath;
    public string Schema { get; }
    public string PaymentSecret { get; } = "test-secret-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The operator's token for the read API and the console; not the development default, so that nothing passes by default.</summary>
    public string OperatorToken { get; } = "test-operator-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>An HTTP client of the orchestrator (the read API) that presents the operator's token.</summary>
    public HttpClient OperatorClient()
    {
        var http = new HttpClient { BaseAddress = OrchestratorUrl };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OperatorToken);
        return http;
    }
    public LogCapture Logs { get; } = new();
    public Uri GatewayUrl { get; private set; } = null!;
    public Uri OrchestratorUrl { get; private set; } = null!;
    public Uri PaymentUrl { get; private set; } = null!;

    public string GroupId => GroupIdOf(0);
    public string ChargePointId => ChargePointIdOf(0);
    public string TerminalId => TerminalIdOf(0);

    /// <summary>How many station groups the topology has; group i has station CP-run-i and terminal TERM-run-i.</summary>
    public int GroupCount { get; private set; } = 1;

    public string GroupIdOf(int group) => group == 0 ? $"site-{RunId}" : $"site-{RunId}-{group}";
    public string ChargePointIdOf(int group) => group == 0 ? $"CP-{RunId}" : $"CP-{RunId}-{group}";
    public string TerminalIdOf(int group) => group == 0 ? $"TERM-{RunId}" : $"TERM-{RunId}-{group}";

    /// <summary>A station that must present HTTP Basic credentials (security profile 1).</summary>
    public string SecuredChargePointId => $"CP-{RunId}-S";

    public string SecuredPassword => $"pw-{RunId}";

    /// <summary>A third station of the first group, with one connector and no password (the mixed-protocol group).</summary>
    public string ThirdChargePointId => $"CP-{RunId}-T";

    public const int ConnectorCount = 10;

    /// <param name="orchestratorInProcess">False: no orchestrator runs in this process; the test starts its own as processes
    /// (<see cref="OrchestratorProcess"/>), which it can kill.</param>
    public static async Task<ChargeLinkSystem> Start(IReadOnlyDictionary<string, string?>? settings = null, int groups = 1, Action<IServiceCollection>? orchestratorServices = null, bool orchestratorInProcess = true)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var topologyPath = Path.Combine(Path.GetTempPath(), $"chargelink-topology-{runId}.json");
        var system = new ChargeLinkSystem(runId, topologyPath, $"test_{runId}") { GroupCount = groups };
        await File.WriteAllTextAsync(topologyPath, JsonSerializer.Serialize(new
        {
            stationGroups = Enumerable.Range(0, groups).Select(g => new
            {
                id = system.GroupIdOf(g),
                name = $"Integration test site {g}",
                tariff = new { pricePerKwhMinor = 45, currency = "EUR" },
                terminals = new[] { system.TerminalIdOf(g) },
                stations = g == 0
                    ? new object[]
                    {
                        new { chargePointId = system.ChargePointIdOf(g), connectors = Enumerable.Range(1, ConnectorCount).ToArray(), securityProfile = 0 },
                        new { chargePointId = system.SecuredChargePointId, connectors = new[] { 1 }, password = system.SecuredPassword },
                        new { chargePointId = system.ThirdChargePointId, connectors = new[] { 1 }, securityProfile = 0 },
                    }
                    : [new { chargePointId = system.ChargePointIdOf(g), connectors = Enumerable.Range(1, ConnectorCount).ToArray(), securityProfile = 0 }],
            }).ToArray(),
        }));

        system._overrides = settings ?? new Dictionary<string, string?>();
        if (orchestratorInProcess)
            system.OrchestratorUrl = await system.StartOrchestrator(orchestratorServices);
        system.PaymentUrl = await system.StartApp(b => b.AddPaymentAdapter(), a => a.MapPaymentAdapter());
        system.GatewayUrl = await system.StartApp(b => b.AddGateway(), a => a.MapGateway());
        await system.WaitUntilReady();
        return system;
    }

    /// <summary>Starts one more orchestrator instance on the same broker and database (competing consumers).</summary>
    /// <param name="settings">Settings of this instance only, on top of the deployment's.</param>
    public async Task<Uri> StartOrchestrator(Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var url = await StartApp(b =>
        {
            b.AddOrchestrator();
            services?.Invoke(b.Services);
        }, a => a.MapOrchestrator(), settings);
        Orchestrators.Add(_apps[^1]);
        return url;
    }

    /// <summary>Starts one more gateway instance on the same broker; returns its URL.</summary>
    /// <param name="settings">Settings of this instance only, on top of the deployment's.</param>
    /// <param name="waitUntilReady">False for an instance whose database or broker is meant to be out of reach.</param>
    public async Task<Uri> StartGateway(IReadOnlyDictionary<string, string?>? settings = null, bool waitUntilReady = true)
    {
        var url = await StartApp(b => b.AddGateway(), a => a.MapGateway(), settings);
        if (!waitUntilReady)
            return url;
        // A gateway on TLS has a test's self-signed certificate; readiness is all this client checks.
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        await Eventually.True(async () => (await http.GetAsync(new Uri(url, "/health/ready"))).IsSuccessStatusCode, TimeSpan.FromSeconds(60), $"{url}health/ready answers 200");
        return url;
    }

    /// <summary>
    /// Stops a gateway instance started with <see cref="StartGateway"/>: its stations lose their sockets and everything it
    /// held in memory is gone, as after a SIGKILL and a restart.
    /// </summary>
    public async Task StopGateway(Uri url)
    {
        var app = _apps.Single(a => a.Urls.Any(u => new Uri(u) == url));
        _apps.Remove(app);
        using var quickly = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(quickly.Token);
        await app.DisposeAsync();
    }

    /// <summary>The running orchestrator instances, oldest first.</summary>
    public List<WebApplication> Orchestrators { get; } = [];

    /// <summary>
    /// Stops an in-process orchestrator instance gracefully: a restart, not a crash (in-flight messages finish or go back
    /// to the broker). Crashes are SIGKILLs of orchestrator processes: <see cref="OrchestratorProcess"/>.
    /// </summary>
    public async Task StopOrchestrator(WebApplication orchestrator)
    {
        Orchestrators.Remove(orchestrator);
        _apps.Remove(orchestrator);
        await orchestrator.StopAsync();
        await orchestrator.DisposeAsync();
    }

    /// <summary>The settings every service of this deployment runs with (the fixture's overrides included).</summary>
    public IReadOnlyDictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            // The broker accounts are infra/up.sh's development ones: a development deployment, as make run's.
            ["CHARGELINK_ENVIRONMENT"] = "development",
            ["CHARGELINK_GATEWAY_URL"] = "http://127.0.0.1:0",
            ["CHARGELINK_ORCHESTRATOR_URL"] = "http://127.0.0.1:0",
            ["CHARGELINK_PAYMENT_URL"] = "http://127.0.0.1:0",
            ["CHARGELINK_GATEWAY_MANAGEMENT_URL"] = "http://127.0.0.1:0",
            ["CHARGELINK_ORCHESTRATOR_MANAGEMENT_URL"] = "http://127.0.0.1:0",
            ["CHARGELINK_PAYMENT_ADAPTER_MANAGEMENT_URL"] = "http://127.0.0.1:0",
            ["CHARGELINK_RABBITMQ"] = RealServices.RabbitMq,
            ["CHARGELINK_POSTGRES"] = RealServices.Postgres,
            ["CHARGELINK_POSTGRES_SCHEMA"] = Schema,
            ["CHARGELINK_TOPOLOGY"] = _topologyPath,
            ["CHARGELINK_PAYMENT_SECRET"] = PaymentSecret,
            ["CHARGELINK_OPERATOR_TOKEN"] = OperatorToken,
        };
        foreach (var (key, value) in _overrides)
            settings[key] = value;
        return settings;
    }

    private async Task<Uri> StartApp(Action<WebApplicationBuilder> add, Action<WebApplication> map, IReadOnlyDictionary<string, string?>? instanceSettings = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(Settings());
        builder.Configuration.AddInMemoryCollection(instanceSettings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton<ILogEventSink>(Logs);
        add(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        _apps.Add(app);
        // Kestrel reports its addresses in the order they were configured: the service's own, then its management one.
        var url = new Uri(app.Urls.First());
        _management[url] = new Uri(app.Urls.ElementAt(1));
        return url;
    }

    private readonly Dictionary<Uri, Uri> _management = [];

    /// <summary>The management address (/metrics, /health in detail) of the instance at <paramref name="url"/>.</summary>
    public Uri ManagementUrlOf(Uri url) => _management[url];

    private async Task WaitUntilReady()
    {
        // A test gateway on TLS has a self-signed certificate; readiness is all this client checks.
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        foreach (var url in new[] { OrchestratorUrl, PaymentUrl, GatewayUrl }.Where(u => u is not null))
        {
            await Eventually.True(
                async () => (await http.GetAsync(new Uri(url, "/health/ready"))).IsSuccessStatusCode,
                TimeSpan.FromSeconds(60),
                $"{url}health/ready answers 200");
        }
    }

    private byte[]? _idTagKey;

    /// <summary>The idTag the deployment gives <paramref name="paymentId"/>, under its key (read from its schema as the services' role).</summary>
    public string IdTagOf(string paymentId) =>
        Domain.Groups.IdTag.ForPayment(paymentId, _idTagKey ??= EventLog.IdTagKeyTable.LoadOrCreate(RealServices.Postgres, Schema));

    /// <summary>A read-only view of the run's event store, for checking what the saga appended.</summary>
    public IDocumentStore EventStore() =>
        DocumentStore.For(options => Orchestrator.OrchestratorStore.Configure(options, RealServices.Postgres, Schema));

    public async ValueTask DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        File.Delete(_topologyPath);
        await using var connection = new NpgsqlConnection(RealServices.Postgres);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists \"{Schema}\" cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
