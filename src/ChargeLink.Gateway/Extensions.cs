using System.Security.Cryptography.X509Certificates;
using ChargeLink.Contracts;
using ChargeLink.Domain.Topology;
using ChargeLink.Gateway.Commands;
using ChargeLink.Gateway.Durable;
using ChargeLink.Gateway.Ocpp;
using ChargeLink.Gateway.Stations;
using ChargeLink.ServiceDefaults;
using MassTransit;

namespace ChargeLink.Gateway;

public static class Extensions
{
    public const string ServiceName = "gateway";

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var settings = builder.AddChargeLinkDefaults(ServiceName, s => s.GatewayUrl);
        if (settings.GatewayUrl.Scheme == Uri.UriSchemeHttps)
            UseCertificate(builder);
        var services = builder.Services;
        services.AddSingleton(GatewayOptions.From(builder.Configuration));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<OcppEndpoint>();
        services.AddSingleton<StationLocks>();
        services.AddSingleton<AnsweredCalls>();
        services.AddSingleton<GatewayDatabase>();
        services.AddSingleton<StationPresence>();
        services.AddHostedService(provider => provider.GetRequiredService<StationPresence>());
        services.AddSingleton<TransactionIds>();
        services.AddSingleton<TransactionLedger>();
        services.AddSingleton<CommandLedger>();
        // Transaction ids come from PostgreSQL, so the gateway is ready only when it reaches it.
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [ServiceDefaults.Extensions.ReadyTag]);
        services.AddSingleton<RecentMessageIds>();
        services.AddSingleton<StationCredentials>();
        services.AddSingleton<StatusForwarding>();
        services.AddSingleton<CoreProfileHandler>();
        services.AddSingleton<Ocpp201Handler>();
        services.AddSingleton<Ocpp21Handler>();
        services.AddSingleton<StationRouting>();
        services.AddMassTransit(bus =>
        {
            bus.AddChargeLinkBusDefaults();
            bus.AddConsumer<StartChargingConsumer>().ExcludeFromConfigureEndpoints();
            bus.AddConsumer<StopChargingConsumer>().ExcludeFromConfigureEndpoints();
            bus.AddConsumer<OfflineStationConsumer>().ExcludeFromConfigureEndpoints();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.UseChargeLinkBroker(settings);
                // This instance's own queue: only commands for the stations it holds are routed to it.
                rabbit.ReceiveEndpoint(context.GetRequiredService<StationRouting>().InstanceQueue, endpoint =>
                {
                    // MassTransit makes non-durable queues exclusive, and the routing binds this one from a connection
                    // of its own; so it is durable, and expires a minute after its instance stopped consuming.
                    endpoint.Durable = true;
                    endpoint.AutoDelete = false;
                    endpoint.SetQueueArgument("x-expires", 60_000);
                    endpoint.ConfigureConsumeTopology = false;
                    endpoint.UseConsumeFilter(typeof(DropRepeatedCommands<>), context);
                    endpoint.ConfigureConsumer<StartChargingConsumer>(context);
                    endpoint.ConfigureConsumer<StopChargingConsumer>(context);
                });
                // Commands no instance is bound for; every instance takes its share and answers Offline.
                rabbit.ReceiveEndpoint(StationCommands.Unroutable, endpoint =>
                {
                    endpoint.ConfigureConsumeTopology = false;
                    endpoint.ConfigureConsumer<OfflineStationConsumer>(context);
                });
            });
        });
        return builder;
    }

    // OCPP security profile 2: profile 1's Basic credentials, over TLS with the certificate configured here.
    private static void UseCertificate(WebApplicationBuilder builder)
    {
        var path = builder.Configuration["CHARGELINK_GATEWAY_CERTIFICATE"] is { Length: > 0 } configured
            ? configured
            : throw new InvalidOperationException("CHARGELINK_GATEWAY_URL is https: set CHARGELINK_GATEWAY_CERTIFICATE to the gateway's certificate and key as a PKCS#12 (.pfx) file");
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, builder.Configuration["CHARGELINK_GATEWAY_CERTIFICATE_PASSWORD"]);
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"CHARGELINK_GATEWAY_CERTIFICATE: {path} holds no private key");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        // Fail the start, naming the bad entry, before a station can connect.
        var topology = app.Services.GetRequiredService<SiteTopology>();
        var tls = app.Services.GetRequiredService<ChargeLinkSettings>().GatewayUrl.Scheme == Uri.UriSchemeHttps;
        StationSecurityProfiles.Of(topology, tls).Log(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<StationSecurityProfiles>());
        var options = app.Services.GetRequiredService<GatewayOptions>();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = options.KeepAlive, KeepAliveTimeout = options.KeepAlive });
        app.Map("/ocpp/{chargePointId}", (HttpContext context, string chargePointId, OcppEndpoint endpoint) => endpoint.Handle(context, chargePointId));
        app.MapChargeLinkHealth();
        return app;
    }
}
