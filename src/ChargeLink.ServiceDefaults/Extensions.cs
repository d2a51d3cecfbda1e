using System.Reflection;
using ChargeLink.Contracts;
using ChargeLink.Domain.Topology;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Prometheus;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace ChargeLink.ServiceDefaults;

/// <summary>Wiring every ChargeLink service shares; each service's own Extensions.cs adds what is its own.</summary>
public static class Extensions
{
    /// <summary>The health-check tag of everything a service must reach before it is ready.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Settings from the environment, the validated topology, Serilog, health checks, and the URL the
    /// service listens on (chosen from the settings by <paramref name="listenUrl"/>).
    /// </summary>
    public static ChargeLinkSettings AddChargeLinkDefaults(
        this WebApplicationBuilder builder,
        string serviceName,
        Func<ChargeLinkSettings, Uri> listenUrl
    )
    {
        var settings = ChargeLinkSettings.From(builder.Configuration, serviceName);
        if (
            !settings.Development
            && DevelopmentDefaults.Unsafe(builder.Configuration, serviceName) is { Count: > 0 } problems
        )
            throw new UnsafeSettingsException(serviceName, problems);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<SiteTopology>(_ => TopologyLoader.Load(settings.TopologyPath));
        Listening.Configure(builder.WebHost, listenUrl(settings), settings.ManagementUrl);
        // ReadFrom.Services: sinks registered in DI (a test's capture, say) receive the same events. The service's own
        // logger, not Serilog's static one: several services in one process (the tests) would otherwise share it, and
        // the first to stop would close it for all.
        builder.Services.AddSerilog(
            (services, logger) =>
                ConfigureLogger(
                    logger.ReadFrom.Services(services),
                    builder.Configuration["CHARGELINK_LOG_FORMAT"],
                    serviceName,
                    builder.Configuration["CHARGELINK_LOG_LEVEL"]
                ),
            preserveStaticLogger: true
        );
        builder.Services.AddReadinessChecks();
        // Enums as their names in every JSON answer: a reader should not need our source to decode a status.
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter())
        );
        return settings;
    }

    /// <summary>The health checks, with readiness reported as a start sees it (<see cref="StartAwareHealthChecks"/>):
    /// applied after every registration, MassTransit's bus check included (added through options of its own).</summary>
    public static IServiceCollection AddReadinessChecks(this IServiceCollection services)
    {
        services.AddHealthChecks();
        services.PostConfigure<HealthCheckServiceOptions>(options => StartAwareHealthChecks.Apply(options, ReadyTag));
        return services;
    }

    /// <summary>
    /// Failed sign-ins of <paramref name="kind"/> (station, operator) counted per key and refused with 429 past the
    /// limit (<see cref="FailedAttempts"/>), and logged once per subject and window (<see cref="RefusalLog"/>).
    /// </summary>
    /// <param name="allowedPerAddress">Where an address may fail more often than a station id or an operator
    /// (stations).</param>
    public static IServiceCollection AddSignInThrottling(
        this IServiceCollection services,
        string kind,
        ChargeLinkSettings settings,
        int? allowedPerAddress = null
    )
    {
        services.AddSingleton(
            new FailedAttempts(kind, settings.SignInFailuresAllowed, settings.SignInWindow, allowedPerAddress)
        );
        services.AddSingleton(provider => new RefusalLog(
            kind,
            settings.SignInWindow,
            provider.GetRequiredService<ILogger<RefusalLog>>()
        ));
        services.AddHostedService(provider => provider.GetRequiredService<RefusalLog>());
        return services;
    }

    /// <param name="level">A Serilog level name (Information when absent); benchmarks run at Warning.</param>
    public static LoggerConfiguration ConfigureLogger(
        LoggerConfiguration logger,
        string? format,
        string serviceName,
        string? level = null
    )
    {
        logger
            .MinimumLevel.Is(
                Enum.TryParse<LogEventLevel>(level, ignoreCase: true, out var minimum)
                    ? minimum
                    : LogEventLevel.Information
            )
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("MassTransit", LogEventLevel.Warning)
            // Marten logs every failed command at Error, expected version conflicts included; real failures reach
            // us as exceptions, which MassTransit's retry and error queues log with the message they belong to.
            .MinimumLevel.Override("Marten", LogEventLevel.Fatal)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Service", serviceName);
        return format == "json"
            ? logger.WriteTo.Console(new RenderedCompactJsonFormatter())
            : logger.WriteTo.Console(TextFormatter());
    }

    /// <summary>The text log's format (CHARGELINK_LOG_FORMAT other than json): one line per event, control characters
    /// escaped.</summary>
    public static OneLineTextFormatter TextFormatter() =>
        new(
            new MessageTemplateTextFormatter(
                "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Service}: {Message:lj} {Properties:j} {Exception}"
            )
        );

    /// <summary>
    /// Points a MassTransit bus at ChargeLink's vhost with this service's own account. Every message about a group is
    /// published with its group's partition as routing key (<see cref="GroupPartitions"/>), whichever service publishes
    /// it.
    /// </summary>
    public static void UseChargeLinkBroker(
        this IRabbitMqBusFactoryConfigurator configurator,
        ChargeLinkSettings settings
    )
    {
        configurator.UseBroker(settings.Broker, settings.ServiceName);
        // MassTransit would also publish each group message and each command to an exchange of its interface, which
        // nobody reads and no account may declare.
        configurator.Publish<IGroupMessage>(publish => publish.Exclude = true);
        configurator.Publish<IGroupCommand>(publish => publish.Exclude = true);
        var routeByGroup = typeof(Extensions).GetMethod(
            nameof(RouteByGroup),
            BindingFlags.NonPublic | BindingFlags.Static
        )!;
        foreach (var type in GroupPartitions.MessageTypes)
            routeByGroup.MakeGenericMethod(type).Invoke(null, [configurator]);
    }

    /// <summary>
    /// Connects a bus to <paramref name="broker"/>. The bus's own temporary queue gets a name under
    /// chargelink.{service} (MassTransit's default is the host and process name), so the account's permissions can name
    /// everything it makes.
    /// </summary>
    public static void UseBroker(
        this IRabbitMqBusFactoryConfigurator configurator,
        RabbitMqAddress broker,
        string service
    )
    {
        configurator.Host(broker.Host, broker.Port, broker.VirtualHost, $"chargelink-{service}", host =>
        {
            host.Username(broker.Username);
            host.Password(broker.Password);
            if (broker.Tls)
                host.UseSsl(ssl =>
                {
                    ssl.ServerName = broker.Host;
                    ssl.CertificateValidationCallback = broker.ValidateCertificate;
                });
        });
        configurator.OverrideDefaultBusEndpointQueueName($"chargelink.{service}.bus-{NewId.NextGuid():N}");
        configurator.ConnectEndpointConfigurationObserver(new NoFaultEvents());
    }

    /// <summary>
    /// MassTransit reports usage telemetry to an outside host unless told not to; a payment system makes no outbound
    /// call nobody configured.
    /// </summary>
    public static void AddChargeLinkBusDefaults(this IBusRegistrationConfigurator bus) =>
        bus.ConfigureUsageTelemetryOptions(options => options.Enabled = false);

    private static void RouteByGroup<T>(IRabbitMqBusFactoryConfigurator configurator)
        where T : class, IGroupMessage =>
        configurator.Send<T>(send =>
            send.UseRoutingKeyFormatter(context => GroupPartitions.RoutingKeyOf(context.Message.GroupId))
        );

    /// <summary>
    /// GET /health/ready: 200 once every check tagged "ready" (MassTransit's bus check is one) is healthy, 503 before;
    /// on the main address the status only, on the management address each check's status and description (an error's
    /// text tells an attacker what runs inside). GET /health/live: 200 while the process runs. /metrics on the
    /// management address only.
    /// </summary>
    public static WebApplication MapChargeLinkHealth(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<ChargeLinkSettings>();
        if (settings.Development)
        {
            app.Logger.LogWarning(
                "Development mode ({Variable}=development): development defaults in use for "
                    + "{Secrets}; never on a network others reach",
                DevelopmentDefaults.EnvironmentVariable,
                DevelopmentDefaults.InUse(app.Configuration, settings.ServiceName)
            );
        }
        app.MapHealthChecks(
            "/health/ready",
            new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains(ReadyTag),
                ResultStatusCodes =
                {
                    [HealthStatus.Healthy] = StatusCodes.Status200OK,
                    [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                    [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
                },
                ResponseWriter = WriteHealth,
            }
        );
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).ExcludeFromDescription();
        // Prometheus text format; prometheus-net also exports every System.Diagnostics.Metrics counter of ours.
        app.MapMetrics("/metrics");
        return app;
    }

    private static Task WriteHealth(HttpContext context, HealthReport report) =>
        Listening.IsManagement(context)
            ? context.Response.WriteAsJsonAsync(
                new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(
                        e => e.Key,
                        e => new { status = e.Value.Status.ToString(), e.Value.Description }
                    ),
                }
            )
            : context.Response.WriteAsJsonAsync(new { status = report.Status.ToString() });
}
