using ChargeLink.Gateway.Commands;
using MassTransit;

namespace ChargeLink.Gateway;

public static class Extensions
{
    public const string ServiceName = "gateway";

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var settings = builder.AddChargeLinkDefaults(ServiceName, s => s.GatewayUrl);
        if (settings.GatewayUrl.Scheme == Uri.UriSchemeHttps)
            // Read now, so that a missing or wrong certificate stops the start with its reason.
            builder.Services.AddSingleton<IMainEndpointTls>(new GatewayTls(builder.Configuration));
        var services = builder.Services;
        services.AddSingleton(GatewayOptions.From(builder.Configuration));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ConnectionRegistry>();
        services.AddHostedService<IdleSweep>();
        services.AddSingleton<StationFrameLimits>();
        services.AddSingleton<OcppEndpoint>();
        services.AddSingleton<StationLocks>();
        services.AddSingleton<AnsweredCalls>();
        services.AddSingleton<GatewayDatabase>();
        services.AddSingleton<StationPresence>();
        services.AddHostedService(provider => provider.GetRequiredService<StationPresence>());
        services.AddSingleton<TransactionIds>();
        services.AddSingleton<TransactionLedger>();
        services.AddHostedService<PublishedMarks>();
        services.AddSingleton<CommandLedger>();
        // Transaction ids come from PostgreSQL, so the gateway is ready only when it reaches it.
        services
            .AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [ServiceDefaults.Extensions.ReadyTag]);
        services.AddSingleton<RecentMessageIds>();
        services.AddSingleton<StationCredentials>();
        services.AddSignInThrottling("station", settings, settings.StationAddressFailuresAllowed);
        services.AddSingleton<StatusForwarding>();
        services.AddSingleton<TransactionStarts>();
        services.AddSingleton<IssuedTokens>();
        services.AddStationActions();
        services.AddSingleton<IStationProtocol, V16.V16Protocol>();
        foreach (var dialect in new[] { V2.V2Dialect.V201, V2.V2Dialect.V21 })
            services.AddSingleton<IStationProtocol>(p => new V2.V2Protocol(
                dialect,
                p.GetServices<V2.IV2Action>(),
                p.GetServices<V2.IV2Command>()
            ));
        foreach (var (command, operation) in StationOperations.All)
            services.AddSingleton(typeof(IStationOperation<>).MakeGenericType(command), operation);
        services.AddSingleton<StationRouting>();
        services.AddMassTransit(bus =>
        {
            bus.AddChargeLinkBusDefaults();
            foreach (var consumer in StationOperations.Consumers.Concat(StationOperations.OfflineConsumers))
                bus.AddConsumer(consumer).ExcludeFromConfigureEndpoints();
            bus.UsingRabbitMq(
                (context, rabbit) =>
                {
                    rabbit.UseChargeLinkBroker(settings);
                    // This instance's own queue: only commands for the stations it holds are routed to it.
                    rabbit.ReceiveEndpoint(context.GetRequiredService<StationRouting>().InstanceQueue, endpoint =>
                    {
                        // MassTransit makes non-durable queues exclusive, and the routing binds this one from a
                        // connection of its own; so it is durable, and expires a minute after its instance stopped
                        // consuming.
                        endpoint.Durable = true;
                        endpoint.AutoDelete = false;
                        endpoint.SetQueueArgument("x-expires", 60_000);
                        endpoint.ConfigureConsumeTopology = false;
                        endpoint.UseConsumeFilter(typeof(DropRepeatedCommands<>), context);
                        foreach (var consumer in StationOperations.Consumers)
                            endpoint.ConfigureConsumer(context, consumer);
                    });
                    // Commands no instance is bound for; every instance takes its share and answers Offline.
                    rabbit.ReceiveEndpoint(StationCommandExchange.Unroutable, endpoint =>
                    {
                        endpoint.ConfigureConsumeTopology = false;
                        foreach (var consumer in StationOperations.OfflineConsumers)
                            endpoint.ConfigureConsumer(context, consumer);
                    });
                }
            );
        });
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        // Fail the start, naming the bad entry, before a station can connect.
        var topology = app.Services.GetRequiredService<SiteTopology>();
        var tls = app.Services.GetRequiredService<ChargeLinkSettings>().GatewayUrl.Scheme == Uri.UriSchemeHttps;
        var clientCertificates =
            app.Services.GetService<IMainEndpointTls>() is GatewayTls { AsksForClientCertificates: true };
        StationSecurityProfiles
            .Of(topology, tls, clientCertificates)
            .Log(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<StationSecurityProfiles>());
        var options = app.Services.GetRequiredService<GatewayOptions>();
        app.UseWebSockets(
            new WebSocketOptions { KeepAliveInterval = options.KeepAlive, KeepAliveTimeout = options.KeepAlive }
        );
        // Each version's catalogue is checked against its schemas when built: at start, not at the first station.
        app.Services.GetRequiredService<OcppEndpoint>();
        app.Map("/ocpp/{chargePointId}", (HttpContext context, string chargePointId, OcppEndpoint endpoint) =>
            endpoint.Handle(context, chargePointId)
        );
        app.MapChargeLinkHealth();
        return app;
    }

    /// <summary>
    /// Every station action and command CALL of the assembly, each version's under its interface
    /// (<see cref="V16.IV16Action"/>, <see cref="V2.IV2Action"/>, <see cref="V16.IV16Command"/>,
    /// <see cref="V2.IV2Command"/>): a new action's file is all it takes.
    /// </summary>
    public static IServiceCollection AddStationActions(this IServiceCollection services)
    {
        foreach (
            var type in typeof(Extensions).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false })
        )
        {
            foreach (
                var contract in new[]
                {
                    typeof(V16.IV16Action),
                    typeof(V2.IV2Action),
                    typeof(V16.IV16Command),
                    typeof(V2.IV2Command),
                }.Where(c => c.IsAssignableFrom(type))
            )
                services.AddSingleton(contract, type);
        }
        return services;
    }
}
