using ChargeLink.Orchestrator;

var builder = WebApplication.CreateBuilder(args);
builder.AddOrchestrator();
var app = builder.Build();
app.MapOrchestrator();
app.Run();
