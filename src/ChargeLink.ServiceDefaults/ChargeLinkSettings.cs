using Microsoft.Extensions.Configuration;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// Where things listen and what they connect to. Every value comes from the environment variable that
/// the external contract names (read through IConfiguration, so tests can override any of them), else
/// from the contract's default.
/// </summary>
public sealed record ChargeLinkSettings
{
    public const string DevelopmentPaymentSecret = "dev-secret";

    public required Uri GatewayUrl { get; init; }
    public required Uri OrchestratorUrl { get; init; }
    public required Uri PaymentUrl { get; init; }
    public required Uri RabbitMq { get; init; }
    public required string Postgres { get; init; }

    /// <summary>The PostgreSQL schema Marten owns; tests give each run its own.</summary>
    public required string PostgresSchema { get; init; }

    public required string TopologyPath { get; init; }
    public required string PaymentSecret { get; init; }

    /// <summary>The secret being rotated out: still accepted on inbound messages, never used to sign.</summary>
    public string? PaymentPreviousSecret { get; init; }

    /// <summary>An authorization whose authorizedAt is older than this is refused as a replay.</summary>
    public required TimeSpan PaymentMaxAge { get; init; }

    /// <summary>How far ahead of our clock an authorizedAt may be (the cloud's clock may run fast).</summary>
    public required TimeSpan PaymentClockSkew { get; init; }
    public required TimeSpan PaymentWait { get; init; }

    /// <summary>How long a station may take to answer RemoteStartTransaction before the next connector is tried.</summary>
    public required TimeSpan RemoteStartAnswerTimeout { get; init; }

    /// <summary>How long after an accepted remote start the StartTransaction may take before the payment is voided.</summary>
    public required TimeSpan TransactionStartTimeout { get; init; }

    /// <summary>Rule 12: how long a session may charge without StopTransaction before the station is asked to stop.</summary>
    public required TimeSpan SessionMaxDuration { get; init; }

    /// <summary>Rule 12: how long the StopTransaction may take after that before the session is settled without it.</summary>
    public required TimeSpan SessionStopGrace { get; init; }

    public static ChargeLinkSettings From(IConfiguration configuration)
    {
        string Get(string name, string fallback) => configuration[name] is { Length: > 0 } value ? value : fallback;
        Uri GetUri(string name, string fallback)
        {
            var text = Get(name, fallback);
            return Uri.TryCreate(text, UriKind.Absolute, out var uri)
                ? uri
                : throw new InvalidOperationException($"{name}: \"{text}\" is not an absolute URL");
        }

        TimeSpan GetSeconds(string name, int fallback)
        {
            var text = Get(name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return int.TryParse(text, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : throw new InvalidOperationException($"{name}: \"{text}\" is not a positive whole number of seconds");
        }

        return new ChargeLinkSettings
        {
            GatewayUrl = GetUri("CHARGELINK_GATEWAY_URL", "http://127.0.0.1:9000"),
            OrchestratorUrl = GetUri("CHARGELINK_ORCHESTRATOR_URL", "http://127.0.0.1:9100"),
            PaymentUrl = GetUri("CHARGELINK_PAYMENT_URL", "http://127.0.0.1:9200"),
            RabbitMq = GetUri("CHARGELINK_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/"),
            Postgres = Get("CHARGELINK_POSTGRES", "Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink;Password=chargelink"),
            PostgresSchema = Get("CHARGELINK_POSTGRES_SCHEMA", "chargelink"),
            TopologyPath = Get("CHARGELINK_TOPOLOGY", "infra/topology.sample.json"),
            PaymentSecret = Get("CHARGELINK_PAYMENT_SECRET", DevelopmentPaymentSecret),
            PaymentPreviousSecret = configuration["CHARGELINK_PAYMENT_SECRET_PREVIOUS"] is { Length: > 0 } previous ? previous : null,
            PaymentMaxAge = GetSeconds("CHARGELINK_PAYMENT_MAX_AGE_SECONDS", 900),
            PaymentClockSkew = GetSeconds("CHARGELINK_PAYMENT_CLOCK_SKEW_SECONDS", 120),
            PaymentWait = GetSeconds("CHARGELINK_PAYMENT_WAIT_SECONDS", 180),
            RemoteStartAnswerTimeout = GetSeconds("CHARGELINK_REMOTE_START_TIMEOUT_SECONDS", 60),
            TransactionStartTimeout = GetSeconds("CHARGELINK_TRANSACTION_START_TIMEOUT_SECONDS", 120),
            SessionMaxDuration = GetSeconds("CHARGELINK_SESSION_MAX_SECONDS", 24 * 3600),
            SessionStopGrace = GetSeconds("CHARGELINK_SESSION_STOP_GRACE_SECONDS", 15 * 60),
        };
    }
}
