using ChargeLink.Orchestrator;
using ChargeLink.ServiceDefaults;

return await ServiceHost.Run(
    args,
    ChargeLink.Orchestrator.Extensions.ServiceName,
    builder => builder.AddOrchestrator(),
    app => app.MapOrchestrator()
);
