using ChargeLink.Orchestrator;

return await ServiceHost.Run(
    args,
    ChargeLink.Orchestrator.Extensions.ServiceName,
    builder => builder.AddOrchestrator(),
    app => app.MapOrchestrator()
);
