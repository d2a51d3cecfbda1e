using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.PaymentAdapter.Holds;
using ChargeLink.PaymentAdapter.Inbound;
using ChargeLink.PaymentAdapter.Outbound;
using MassTransit;

namespace ChargeLink.PaymentAdapter;

public static class Extensions
{
    public const string ServiceName = "payment-adapter";
    public const string SettlementsQueue = "chargelink.payment-adapter.settlements";

    public static WebApplicationBuilder AddPaymentAdapter(this WebApplicationBuilder builder)
    {
        var settings = builder.AddChargeLinkDefaults(ServiceName, s => s.PaymentUrl);
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new PaymentSignature(settings.PaymentSecret, settings.PaymentPreviousSecret));
        services.AddSingleton(new AuthorizationWindow(settings.PaymentMaxAge, settings.PaymentClockSkew));
        services.AddSingleton<InstructionPublisher>();
        services.AddSingleton<HoldLedger>();
        services
            .AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [ServiceDefaults.Extensions.ReadyTag]);
        services.AddSingleton<RecentMessageIds>();
        services.AddMassTransit(bus =>
        {
            bus.AddChargeLinkBusDefaults();
            bus.AddConsumer<SettlementConsumer>().ExcludeFromConfigureEndpoints();
            bus.UsingRabbitMq(
                (context, rabbit) =>
                {
                    rabbit.UseChargeLinkBroker(settings);
                    rabbit.ReceiveEndpoint(SettlementsQueue, endpoint =>
                    {
                        // A broker outage delays instructions; it must not drop them, so retries go on for minutes.
                        endpoint.UseMessageRetry(retry =>
                        {
                            // ... but an instruction that fails the money check will never pass it: dead-lettered at
                            // once.
                            retry.Ignore<InstructionRefusedException>();
                            retry.Exponential(
                                20,
                                TimeSpan.FromMilliseconds(200),
                                TimeSpan.FromSeconds(30),
                                TimeSpan.FromMilliseconds(500)
                            );
                        });
                        endpoint.UseConsumeFilter(typeof(DropRepeatedCommands<>), context);
                        endpoint.ConfigureConsumer<SettlementConsumer>(context);
                    });
                }
            );
        });
        services.AddMassTransit<IPaymentCloudBus>(bus =>
        {
            bus.AddChargeLinkBusDefaults();
            bus.AddConsumer<AuthorizationConsumer>().ExcludeFromConfigureEndpoints();
            bus.UsingRabbitMq(
                (context, rabbit) =>
                {
                    rabbit.UseBroker(settings.PaymentCloudBroker, ServiceName);
                    // The payment cloud's queue: plain JSON bodies, not MassTransit envelopes, and no exchange of ours
                    // bound to it.
                    rabbit.ReceiveEndpoint(PaymentCloudQueues.Authorizations, endpoint =>
                    {
                        endpoint.ConfigureConsumeTopology = false;
                        endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                        endpoint.UseMessageRetry(retry =>
                        {
                            // A rejected message will not get better; a broker or topology hiccup may.
                            retry.Ignore<PaymentMessageRejectedException>();
                            retry.Intervals(100, 500, 1000, 5000);
                        });
                        endpoint.ConfigureConsumer<AuthorizationConsumer>(context);
                    });
                }
            );
        });
        services.AddHostedService<QueueDeclaration>();
        return builder;
    }

    public static WebApplication MapPaymentAdapter(this WebApplication app)
    {
        app.Services.GetRequiredService<Domain.Topology.SiteTopology>();
        app.MapChargeLinkHealth();
        return app;
    }

    /// <summary>Declares payment-cloud.instructions at start, so the cloud finds it before the first
    /// instruction.</summary>
    private sealed class QueueDeclaration(InstructionPublisher publisher, ILogger<QueueDeclaration> logger)
        : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await publisher.DeclareQueues(stoppingToken);
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(
                        "Could not declare {Queue} yet: {Reason}",
                        PaymentCloudQueues.Instructions,
                        e.Message
                    );
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                }
            }
        }
    }
}
