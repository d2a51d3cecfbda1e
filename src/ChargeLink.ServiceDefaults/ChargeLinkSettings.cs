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
    public const string DevelopmentOperatorToken = "dev-operator";
    public const string DefaultBrokerVirtualHost = "chargelink";
    public const long DefaultPaymentMaxHoldMinor = 50_000;

    /// <summary>CHARGELINK_ENVIRONMENT=development: the secrets may be unset or development values (<see
    /// cref="DevelopmentDefaults"/>).</summary>
    public bool Development { get; init; }

    /// <summary>The service these settings are for (gateway, orchestrator, payment-adapter), or a tool's
    /// name.</summary>
    public required string ServiceName { get; init; }

    public required Uri GatewayUrl { get; init; }
    public required Uri OrchestratorUrl { get; init; }
    public required Uri PaymentUrl { get; init; }

    /// <summary>
    /// This service's management address: /metrics and /health/* in detail (CHARGELINK_{SERVICE}_MANAGEMENT_URL;
    /// loopback 9001, 9101, 9201 by default), never the address stations or browsers use.
    /// </summary>
    public required Uri ManagementUrl { get; init; }

    /// <summary>
    /// CHARGELINK_RABBITMQ: where the broker is, and (its path) the payment cloud's vhost. Its user and password are
    /// the broker administrator's, for tools that set the broker up; no service logs in with them.
    /// </summary>
    public required Uri RabbitMq { get; init; }

    /// <summary>ChargeLink's own vhost, which the payment cloud's account cannot open
    /// (CHARGELINK_RABBITMQ_VHOST).</summary>
    public required string BrokerVirtualHost { get; init; }

    /// <summary>The account this service logs in to the broker with (its own; see <see
    /// cref="BrokerAccount"/>).</summary>
    public required BrokerAccount BrokerAccount { get; init; }

    /// <summary>Where this service's MassTransit bus and its own connections go: ChargeLink's vhost, its own
    /// account.</summary>
    public RabbitMqAddress Broker =>
        RabbitMqAddress.Parse(RabbitMq, RabbitMqCaFile).With(BrokerAccount, BrokerVirtualHost);

    /// <summary>The payment cloud's vhost (the path of CHARGELINK_RABBITMQ), with this service's own account.</summary>
    public RabbitMqAddress PaymentCloudBroker => RabbitMqAddress.Parse(RabbitMq, RabbitMqCaFile).With(BrokerAccount);

    /// <summary>For amqps: a PEM CA certificate to trust for the broker besides the machine's
    /// (CHARGELINK_RABBITMQ_CA).</summary>
    public string? RabbitMqCaFile { get; init; }

    /// <summary>CHARGELINK_POSTGRES, for pooled use (<see cref="PostgresConnections.Pooled"/>).</summary>
    public required string Postgres { get; init; }

    /// <summary>The PostgreSQL schema Marten owns; tests give each run its own.</summary>
    public required string PostgresSchema { get; init; }

    public required string TopologyPath { get; init; }
    public required string PaymentSecret { get; init; }

    /// <summary>The operator's token for the read API and the console (CHARGELINK_OPERATOR_TOKEN, Bearer).</summary>
    public required string OperatorToken { get; init; }

    /// <summary>The named operators' file (CHARGELINK_OPERATORS): name, role and the SHA-256 of each one's token;
    /// null when only the development operator of CHARGELINK_OPERATOR_TOKEN signs in.</summary>
    public string? OperatorsFile { get; init; }

    /// <summary>The secret being rotated out: still accepted on inbound messages, never used to sign.</summary>
    public string? PaymentPreviousSecret { get; init; }

    /// <summary>An authorization whose authorizedAt is older than this is refused as a replay.</summary>
    public required TimeSpan PaymentMaxAge { get; init; }

    /// <summary>
    /// What the retention rule adds to <see cref="PaymentMaxAge"/> (CHARGELINK_RETENTION_MARGIN_SECONDS): time for an
    /// authorization accepted at the door at the end of its window to reach its group, and for the clocks to differ.
    /// </summary>
    public TimeSpan RetentionMargin { get; init; } = TimeSpan.FromSeconds(900);

    /// <summary>The retention rule: a group accepts no authorization older than this and forgets a payment this long
    /// after it settled.</summary>
    public TimeSpan Retention => PaymentMaxAge + RetentionMargin;

    /// <summary>
    /// The largest hold an authorization may carry, in minor units of the group tariff's currency
    /// (CHARGELINK_PAYMENT_MAX_HOLD_MINOR, default 50,000: 500.00 EUR); a larger one is refused at the door and voided.
    /// </summary>
    public required long PaymentMaxHoldMinor { get; init; }

    /// <summary>
    /// Failed sign-ins (a station's credentials, the operator's token) a client address, or a station id, may have in a
    /// window (CHARGELINK_SIGN_IN_FAILURES, default 10) before every attempt from it is refused with 429 until the
    /// window ends.
    /// </summary>
    public int SignInFailuresAllowed { get; init; } = 10;

    /// <summary>
    /// CHARGELINK_BEHIND_TLS=true: browsers reach the orchestrator through a proxy that ends TLS, so the console's
    /// cookie is marked Secure although the request the orchestrator sees is plain HTTP.
    /// </summary>
    public bool BehindTls { get; init; }

    /// <summary>
    /// The Host names the orchestrator's own address answers (CHARGELINK_ALLOWED_HOSTS, separated by ';' or ',';
    /// default the loopback names): any other is refused with 400, so a page on a rebound DNS name cannot reach the
    /// console or the API.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// Failed station sign-ins one client address may have in a window (CHARGELINK_STATION_ADDRESS_FAILURES, default
    /// 100): more than a station id's, because a site's stations often reach the gateway from one address (their
    /// router), and a station with a wrong password must not lock the others out.
    /// </summary>
    public int StationAddressFailuresAllowed { get; init; } = 100;

    /// <summary>That window (CHARGELINK_SIGN_IN_WINDOW_SECONDS, default 60).</summary>
    public TimeSpan SignInWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How far ahead of our clock an authorizedAt may be (the cloud's clock may run fast).</summary>
    public required TimeSpan PaymentClockSkew { get; init; }
    public required TimeSpan PaymentWait { get; init; }

    /// <summary>How long a station may take to answer RemoteStartTransaction before the next connector is
    /// tried.</summary>
    public required TimeSpan RemoteStartAnswerTimeout { get; init; }

    /// <summary>How long after an accepted remote start the StartTransaction may take before the payment is
    /// voided.</summary>
    public required TimeSpan TransactionStartTimeout { get; init; }

    /// <summary>Rule 12: how long a session may charge without StopTransaction before the station is asked to
    /// stop.</summary>
    public required TimeSpan SessionMaxDuration { get; init; }

    /// <summary>Rule 12: how long the StopTransaction may take after that before the session is settled without
    /// it.</summary>
    public required TimeSpan SessionStopGrace { get; init; }

    /// <param name="service">The service these settings are for: it picks the broker account (<see
    /// cref="BrokerAccount.Of"/>).</param>
    public static ChargeLinkSettings From(IConfiguration configuration, string service)
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

        long GetPositive(string name, long fallback)
        {
            var text = Get(name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return
                long.TryParse(
                    text,
                    System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture,
                    out var value
                )
                && value > 0
                ? value
                : throw new InvalidOperationException($"{name}: \"{text}\" is not a positive whole number");
        }

        return new ChargeLinkSettings
        {
            ServiceName = service,
            Development = DevelopmentDefaults.IsDevelopment(configuration),
            GatewayUrl = GetUri("CHARGELINK_GATEWAY_URL", "http://127.0.0.1:9000"),
            OrchestratorUrl = GetUri("CHARGELINK_ORCHESTRATOR_URL", "http://127.0.0.1:9100"),
            PaymentUrl = GetUri("CHARGELINK_PAYMENT_URL", "http://127.0.0.1:9200"),
            ManagementUrl = GetUri(
                $"CHARGELINK_{service.ToUpperInvariant().Replace('-', '_')}_MANAGEMENT_URL",
                service switch
                {
                    "gateway" => "http://127.0.0.1:9001",
                    "orchestrator" => "http://127.0.0.1:9101",
                    _ => "http://127.0.0.1:9201",
                }
            ),
            RabbitMq = GetUri("CHARGELINK_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/"),
            BrokerVirtualHost = Get("CHARGELINK_RABBITMQ_VHOST", DefaultBrokerVirtualHost),
            BrokerAccount = BrokerAccount.Of(service, configuration),
            RabbitMqCaFile = configuration["CHARGELINK_RABBITMQ_CA"] is { Length: > 0 } ca ? ca : null,
            Postgres = PostgresConnections.Pooled(
                Get(
                    "CHARGELINK_POSTGRES",
                    "Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink;Password=chargelink"
                )
            ),
            PostgresSchema = Get("CHARGELINK_POSTGRES_SCHEMA", "chargelink"),
            TopologyPath = Get("CHARGELINK_TOPOLOGY", "infra/topology.sample.json"),
            PaymentSecret = Get("CHARGELINK_PAYMENT_SECRET", DevelopmentPaymentSecret),
            OperatorToken = Get("CHARGELINK_OPERATOR_TOKEN", DevelopmentOperatorToken),
            OperatorsFile = configuration["CHARGELINK_OPERATORS"] is { Length: > 0 } operators ? operators : null,
            PaymentPreviousSecret = configuration["CHARGELINK_PAYMENT_SECRET_PREVIOUS"] is { Length: > 0 } previous
                ? previous
                : null,
            PaymentMaxAge = GetSeconds("CHARGELINK_PAYMENT_MAX_AGE_SECONDS", 900),
            PaymentMaxHoldMinor = GetPositive("CHARGELINK_PAYMENT_MAX_HOLD_MINOR", DefaultPaymentMaxHoldMinor),
            PaymentClockSkew = GetSeconds("CHARGELINK_PAYMENT_CLOCK_SKEW_SECONDS", 120),
            RetentionMargin = GetSeconds("CHARGELINK_RETENTION_MARGIN_SECONDS", 900),
            SignInFailuresAllowed = (int)Math.Min(GetPositive("CHARGELINK_SIGN_IN_FAILURES", 10), 1_000_000),
            SignInWindow = GetSeconds("CHARGELINK_SIGN_IN_WINDOW_SECONDS", 60),
            StationAddressFailuresAllowed = (int)
                Math.Min(GetPositive("CHARGELINK_STATION_ADDRESS_FAILURES", 100), 1_000_000),
            BehindTls = Get("CHARGELINK_BEHIND_TLS", "false").ToLowerInvariant() switch
            {
                "true" or "1" or "yes" => true,
                "false" or "0" or "no" => false,
                var other => throw new InvalidOperationException(
                    $"CHARGELINK_BEHIND_TLS: \"{other}\" is neither true nor false"
                ),
            },
            AllowedHosts = configuration["CHARGELINK_ALLOWED_HOSTS"] is { Length: > 0 } hosts
                ? hosts.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : ["localhost", "127.0.0.1", "[::1]"],
            PaymentWait = GetSeconds("CHARGELINK_PAYMENT_WAIT_SECONDS", 180),
            RemoteStartAnswerTimeout = GetSeconds("CHARGELINK_REMOTE_START_TIMEOUT_SECONDS", 60),
            TransactionStartTimeout = GetSeconds("CHARGELINK_TRANSACTION_START_TIMEOUT_SECONDS", 120),
            SessionMaxDuration = GetSeconds("CHARGELINK_SESSION_MAX_SECONDS", 24 * 3600),
            SessionStopGrace = GetSeconds("CHARGELINK_SESSION_STOP_GRACE_SECONDS", 15 * 60),
        };
    }
}
