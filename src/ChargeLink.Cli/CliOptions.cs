namespace ChargeLink.Cli;

/// <summary>Options several commands share, defaulting to the environment variable each service reads.</summary>
public static class CliOptions
{
    public static Option<Uri> Gateway() =>
        new("--gateway")
        {
            Description = "the OCPP gateway's URL [CHARGELINK_GATEWAY_URL]",
            DefaultValueFactory = _ => new Uri(Env("CHARGELINK_GATEWAY_URL", "http://127.0.0.1:9000")),
        };

    // The URL may carry credentials: resolved at run time, never shown by help.
    public static Option<string?> RabbitMq() =>
        new("--rabbitmq")
        {
            Description =
                "RabbitMQ, where the payment cloud's queues are, as an amqp:// URL with its login "
                + "[default: CHARGELINK_RABBITMQ's broker and vhost, as user payment-cloud with "
                + "CHARGELINK_PAYMENT_CLOUD_BROKER_PASSWORD, else dev-payment-cloud]",
        };

    public static string RabbitMqOf(System.CommandLine.ParseResult result, Option<string?> option) =>
        result.GetValue(option) ?? BrokerUrls.PaymentCloud(BrokerUrls.Broker());

    // No default value here: help would print it, and the environment's secret is not for screens.
    public static Option<string?> Secret() =>
        new("--secret")
        {
            Description =
                "the signing secret shared with the payment cloud [default: "
                + "CHARGELINK_PAYMENT_SECRET, else dev-secret]",
        };

    public static string SecretOf(System.CommandLine.ParseResult result, Option<string?> option) =>
        result.GetValue(option) ?? Env("CHARGELINK_PAYMENT_SECRET", "dev-secret");

    public static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    /// <summary>The auditors' read-only role that infra/up.sh creates (infra/postgres-auditor.sql).</summary>
    public const string AuditorPostgresDefault =
        "Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink_auditor;Password=dev-auditor";

    // The audit commands read as the auditors' role, not the services' one: an auditor needs no right to write.
    public static Option<string?> AuditorPostgres() =>
        new("--postgres")
        {
            Description =
                "the event store's PostgreSQL (Npgsql connection string) [default: "
                + "CHARGELINK_AUDITOR_POSTGRES, else the read-only role chargelink_auditor on "
                + "127.0.0.1:5432]",
        };

    /// <summary>The connection string, and whether it is the auditors' (from the environment or the default) rather
    /// than one given with the option.</summary>
    public static (string ConnectionString, bool Auditors) AuditorPostgresOf(
        System.CommandLine.ParseResult result,
        Option<string?> option
    ) =>
        result.GetValue(option) is { } given
            ? (given, false)
            : (Env("CHARGELINK_AUDITOR_POSTGRES", AuditorPostgresDefault), true);

    public static Option<string> Schema() =>
        new("--schema")
        {
            Description = "the PostgreSQL schema the orchestrator writes to [CHARGELINK_POSTGRES_SCHEMA]",
            DefaultValueFactory = _ => Env("CHARGELINK_POSTGRES_SCHEMA", "chargelink"),
        };

    public static Option<FileInfo> Topology() =>
        new("--topology")
        {
            Description = "the topology file, to name groups [CHARGELINK_TOPOLOGY]",
            DefaultValueFactory = _ => new FileInfo(Env("CHARGELINK_TOPOLOGY", "infra/topology.sample.json")),
        };
}
