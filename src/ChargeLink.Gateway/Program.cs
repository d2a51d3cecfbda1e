using ChargeLink.Gateway;

return await ServiceHost.Run(
    args,
    ChargeLink.Gateway.Extensions.ServiceName,
    builder => builder.AddGateway(),
    app => app.MapGateway()
);
