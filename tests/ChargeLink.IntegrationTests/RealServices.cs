using Microsoft.Extensions.Configuration;
using Npgsql;
using RabbitMQ.Client;
using Testcontainers.RabbitMq;

// In the root namespace: a SetUpFixture covers only the tests in its namespace and below.

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The real broker and database every integration test uses. RabbitMQ comes from CHARGELINK_RABBITMQ
/// (make test sets it) or else from Testcontainers; PostgreSQL from CHARGELINK_POSTGRES or the contract's
/// default. Anything unreachable fails the whole run here, with the reason — nothing is skipped.
/// </summary>
[SetUpFixture]
public sealed class RealServices
{
    private static RabbitMqContainer? _container;

    /// <summary>The broker as its administrator sees it, in the payment cloud's vhost (CHARGELINK_RABBITMQ).</summary>
    public static string RabbitMq { get; private set; } = "";

    /// <summary>The same broker as the payment cloud logs in to it: its own account, its vhost.</summary>
    public static string PaymentCloud => Cli.BrokerUrls.PaymentCloud(RabbitMq);

    /// <summary>The administrator in ChargeLink's own vhost, where the services talk to each other.</summary>
    public static string Inside => Cli.BrokerUrls.ChargeLinkVhost(RabbitMq);
    public static string Postgres { get; private set; } = "";

    /// <summary>
    /// The auditors' read-only role (infra/up.sh creates it), as the audit commands find it: CHARGELINK_AUDITOR_POSTGRES,
    /// else the CLI's default. Not checked here: only the audit tests need it, and they say so when it is missing.
    /// </summary>
    public static string AuditorPostgres => Cli.CliOptions.Env("CHARGELINK_AUDITOR_POSTGRES", Cli.CliOptions.AuditorPostgresDefault);

    /// <summary>Drops a test's own schema and everything in it (after the test, whatever its outcome).</summary>
    public static async Task DropSchema(string schema)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists \"{schema}\" cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>A gateway's settings on this database in a schema of the test's own (development mode).</summary>
    public static ServiceDefaults.ChargeLinkSettings GatewaySettingsIn(string schema) => SettingsIn(schema, "gateway");

    /// <summary>A service's settings with its PostgreSQL tables in <paramref name="schema"/>, for a test of one of its
    /// ledgers alone.</summary>
    public static ServiceDefaults.ChargeLinkSettings SettingsIn(string schema, string service) =>
        ServiceDefaults.ChargeLinkSettings.From(
            new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["CHARGELINK_ENVIRONMENT"] = "development",
                    ["CHARGELINK_POSTGRES"] = Postgres,
                    ["CHARGELINK_POSTGRES_SCHEMA"] = schema,
                })
                .Build(),
            service);

    [OneTimeSetUp]
    public async Task Start()
    {
        RabbitMq = Environment.GetEnvironmentVariable("CHARGELINK_RABBITMQ") is { Length: > 0 } broker ? broker : await StartRabbitMqContainer();
        Postgres = Environment.GetEnvironmentVariable("CHARGELINK_POSTGRES") is { Length: > 0 } database
            ? database
            : "Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink;Password=chargelink";

        try
        {
            var factory = new ConnectionFactory { Uri = new Uri(RabbitMq) };
            await using var connection = await factory.CreateConnectionAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"RabbitMQ at {RabbitMq} is not reachable ({e.Message}). Run the tests with `make test`, which brings it up, or set CHARGELINK_RABBITMQ.", e);
        }
        try
        {
            await using var connection = new NpgsqlConnection(Postgres);
            await connection.OpenAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"PostgreSQL ({Postgres.Split(";Password", 2)[0]}) is not reachable ({e.Message}). Run the tests with `make test`, which brings it up, or set CHARGELINK_POSTGRES.", e);
        }
    }

    private static async Task<string> StartRabbitMqContainer()
    {
        try
        {
            _container = new RabbitMqBuilder("rabbitmq:3.13").Build();
            await _container.StartAsync();
            // The accounts and vhost infra/up.sh makes on a broker it runs, made here by the same script inside the container.
            var script = await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot(), "infra", "rabbitmq-accounts.sh"));
            await _container.CopyAsync(script, "/tmp/rabbitmq-accounts.sh");
            var connection = _container.GetConnectionString();
            var accounts = await _container.ExecAsync(["env", $"CHARGELINK_RABBITMQ={connection}", "bash", "/tmp/rabbitmq-accounts.sh"]);
            if (accounts.ExitCode != 0)
                throw new InvalidOperationException($"infra/rabbitmq-accounts.sh in the container failed: {accounts.Stderr}");
            return connection;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"CHARGELINK_RABBITMQ is not set and no RabbitMQ container could be started ({e.GetType().Name}: {e.Message}). " +
                "Run `make test` (it starts RabbitMQ and sets the variable) or set CHARGELINK_RABBITMQ=amqp://guest:guest@127.0.0.1:5672/.", e);
        }
    }

    /// <summary>
    /// Runs rabbitmqctl against the broker the tests use: inside the container, or on this machine (where
    /// infra/up.sh started it). A broker elsewhere cannot be controlled, and the test that needs it fails saying so.
    /// </summary>
    public static async Task RabbitMqCtl(params string[] arguments) => await RabbitMqCtlOutput(arguments);

    /// <summary>As <see cref="RabbitMqCtl"/>, returning what rabbitmqctl printed.</summary>
    public static async Task<string> RabbitMqCtlOutput(params string[] arguments)
    {
        if (_container is not null)
        {
            var result = await _container.ExecAsync(["rabbitmqctl", .. arguments]);
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} in the container failed: {result.Stderr}");
            return result.Stdout;
        }
        var tool = new[] { "/usr/sbin/rabbitmqctl", "/usr/lib/rabbitmq/bin/rabbitmqctl" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"rabbitmqctl is not on this machine, so the broker at {RabbitMq} cannot be stopped and started for this test; run it where infra/up.sh started RabbitMQ");
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
        return output;
    }

    /// <summary>The checkout these tests were built from (where ChargeLink.sln is).</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ChargeLink.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"no ChargeLink.sln above {AppContext.BaseDirectory}");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_container is not null)
            await _container.DisposeAsync();
    }
}
