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
    public string Schema { get; }
    public string PaymentSecret { get; } = "test-secret-" + Guid.NewGuid().ToString("N")[..8];
    public LogCapture Logs { get; } = new();
    public Uri GatewayUrl { get; private set; } = null!;
    public Uri OrchestratorUrl { get; private set; } = null!;
    public Uri PaymentUrl { get; private set; } = null!;

    public string GroupId => $"site-{RunId}";
    public string ChargePointId => $"CP-{RunId}";
    public string TerminalId => $"TERM-{RunId}";

    /// <summary>A station that must present HTTP Basic credentials (security profile 1).</summary>
    public string SecuredChargePointId => $"CP-{RunId}-S";

    public string SecuredPassword => $"pw-{RunId}";

    public const int ConnectorCount = 10;

    public static async Task<ChargeLinkSystem> Start(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var topologyPath = Path.Combine(Path.GetTempPath(), $"chargelink-topology-{runId}.json");
        var system = new ChargeLinkSystem(runId, topologyPath, $"test_{runId}");
        await File.WriteAllTextAsync(topologyPath, JsonSerializer.Serialize(new
        {
            stationGroups = new[]
            {
                new
                {
                    id = system.GroupId,
                    name = "Integration test site",
                    tariff = new { pricePerKwhMinor = 45, currency = "EUR" },
                    terminals = new[] { system.TerminalId },
                    stations = new object[]
                    {
                        new { chargePointId = system.ChargePointId, connectors = Enumerable.Range(1, ConnectorCount).ToArray() },
                        new { chargePointId = system.SecuredChargePointId, connectors = new[] { 1 }, password = system.SecuredPassword },
                    },
                },
            },
        }));

        system._overrides = settings ?? new Dictionary<string, string?>();
        system.OrchestratorUrl = await system.StartApp(b => b.AddOrchestrator(), a => a.MapOrchestrator());
        system.PaymentUrl = await system.StartApp(b => b.AddPaymentAdapter(), a => a.MapPaymentAdapter());
        system.GatewayUrl = await system.StartApp(b => b.AddGateway(), a => a.MapGateway());
        await system.WaitUntilReady();
        return system;
    }

    private async Task<Uri> StartApp(Action<WebApplicationBuilder> add, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CHARGELINK_GATEWAY_URL"] = "http://127.0.0.1:0",
            ["CHARGELINK_ORCHESTRATOR_URL"] = "http://127.0.0.1:0",
            ["CHARGELINK_PAYMENT_URL"] = "http://127.0.0.1:0",
            ["CHARGELINK_RABBITMQ"] = RealServices.RabbitMq,
            ["CHARGELINK_POSTGRES"] = RealServices.Postgres,
            ["CHARGELINK_POSTGRES_SCHEMA"] = Schema,
            ["CHARGELINK_TOPOLOGY"] = _topologyPath,
            ["CHARGELINK_PAYMENT_SECRET"] = PaymentSecret,
        });
        builder.Configuration.AddInMemoryCollection(_overrides);
        builder.Services.AddSingleton<ILogEventSink>(Logs);
        add(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        _apps.Add(app);
        return new Uri(app.Urls.First());
    }

    private async Task WaitUntilReady()
    {
        using var http = new HttpClient();
        foreach (var url in new[] { OrchestratorUrl, PaymentUrl, GatewayUrl })
        {
            await Eventually.True(
                async () => (await http.GetAsync(new Uri(url, "/health/ready"))).IsSuccessStatusCode,
                TimeSpan.FromSeconds(60),
                $"{url}health/ready answers 200");
        }
    }

    /// <summary>A read-only view of the run's event store, for checking what the saga appended.</summary>
    public IDocumentStore EventStore() =>
        DocumentStore.For(options => Orchestrator.EventStore.GroupStreamConfiguration.Configure(options, RealServices.Postgres, Schema));

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
