using ChargeLink.Domain.Topology;
using ChargeLink.Gateway.Commands;
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
        var services = builder.Services;
        services.AddSingleton(GatewayOptions.From(builder.Configuration));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<AnsweredCalls>();
        services.AddSingleton<TransactionIds>();
        services.AddSingleton<RecentMessageIds>();
        services.AddSingleton<StationCredentials>();
        services.AddSingleton<CoreProfileHandler>();
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<StartChargingConsumer>().Endpoint(e => e.Name = "chargelink.gateway.start-charging");
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.UseChargeLinkBroker(settings);
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        // Fail the start, naming the bad entry, before a station can connect.
        app.Services.GetRequiredService<SiteTopology>();
        var options = app.Services.GetRequiredService<GatewayOptions>();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = options.KeepAlive, KeepAliveTimeout = options.KeepAlive });
        app.Map("/ocpp/{chargePointId}", OcppEndpoint.Handle);
        app.MapChargeLinkHealth();
        return app;
    }
}
