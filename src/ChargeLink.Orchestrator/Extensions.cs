using ChargeLink.Orchestrator.Acting;
using ChargeLink.Orchestrator.Deciding;
using ChargeLink.Orchestrator.Delivering;
using ChargeLink.Orchestrator.Inbox;
using ChargeLink.Orchestrator.OperatorConsole;
using ChargeLink.Orchestrator.Reading;
using Marten;
using MassTransit;

namespace ChargeLink.Orchestrator;

public static class Extensions
{
    public const string ServiceName = "orchestrator";

    public static WebApplicationBuilder AddOrchestrator(this WebApplicationBuilder builder)
    {
        var settings = builder.AddChargeLinkDefaults(ServiceName, s => s.OrchestratorUrl);
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IdTagKey>();
        services.AddSingleton<GroupPolicies>();
        services.AddHostedService<DeadlineTimer>();
        services.AddHostedService<CommandRelay>();
        services
            .AddMarten(options => OrchestratorStore.Configure(options, settings.Postgres, settings.PostgresSchema))
            .ApplyAllDatabaseChangesOnStartup();
        services.AddSingleton<ISagaProjection<StationGroupSaga>, Reading.GroupReadModels>();
        // The read API and the console answer the operator only (OperatorConsole/OperatorAuthentication).
        services
            .AddAuthentication(OperatorAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, OperatorAuthentication>(
                OperatorAuthentication.SchemeName,
                null
            );
        services.AddAuthorization(authorization =>
            authorization.AddPolicy(OperatorAuthentication.ActingPolicy, policy =>
                policy.RequireRole(OperatorRole.Operator.ToString().ToLowerInvariant())
            )
        );
        services.AddSingleton<OperatorDirectory>();
        services.AddHttpContextAccessor();
        services.AddScoped<StationActs>();
        services.AddSingleton<OperatorSessions>();
        services.ConfigureMarten(options => options.Schema.For<OperatorSession>());
        services.AddSignInThrottling("operator", settings);
        // A browser reaches the console and the API by these names only (DNS rebinding would need another). ASP.NET
        // Core's own host filtering, which every WebApplication runs first; "*" where the variable says so.
        services.AddHostFiltering(hosts => hosts.AllowedHosts = [.. settings.AllowedHosts]);
        services.AddSingleton<GroupChanges>();
        services.AddSingleton<StationPresenceReader>();
        services.AddHostedService(provider => provider.GetRequiredService<GroupChanges>());
        services.AddSingleton<ICommitObserver<StationGroupSaga>>(provider =>
            provider.GetRequiredService<GroupChanges>()
        );
        services.AddOpenApi(options => options.AddDocumentTransformer<OperatorSecurityScheme>());
        services.AddSingleton<GroupCommit>();
        services.AddSingleton<ISagaEventStore<StationGroupSaga>, MartenSagaEventStore<StationGroupSaga>>();
        services
            .AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [ServiceDefaults.Extensions.ReadyTag]);
        services.AddSingleton<DispatchedCommands>();
        // Before MassTransit's own hosted service: the idTag key is read, and the groups' reading begun, before the
        // first message is taken.
        services.AddHostedService<GroupPreload>();
        services.AddMassTransit(bus =>
        {
            bus.AddChargeLinkBusDefaults();
            bus.AddSendObserver(provider => provider.GetRequiredService<DispatchedCommands>());
            bus.AddPublishObserver(provider => provider.GetRequiredService<DispatchedCommands>());
            bus.AddSaga<StationGroupSaga, StationGroupSagaDefinition>()
                .EventSourcedRepository()
                .ExcludeFromConfigureEndpoints();
            bus.AddConsumer<PaymentCancellationRouter>(typeof(PaymentCancellationRouterDefinition));
            bus.UsingRabbitMq(
                (context, rabbit) =>
                {
                    rabbit.UseChargeLinkBroker(settings);
                    GroupPartitionEndpoints.Configure(rabbit, context);
                    rabbit.ConfigureEndpoints(context);
                }
            );
        });
        return builder;
    }

    public static WebApplication MapOrchestrator(this WebApplication app)
    {
        app.Services.GetRequiredService<SiteTopology>();
        app.MapChargeLinkHealth();
        app.MapOpenApi();
        app.MapOperatorConsole();
        app.MapGroupsApi();
        app.MapOperatorActs();
        return app;
    }
}
