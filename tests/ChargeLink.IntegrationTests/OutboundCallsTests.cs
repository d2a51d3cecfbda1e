using ChargeLink.Gateway;
using ChargeLink.Orchestrator;
using ChargeLink.PaymentAdapter;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// A payment system makes no call nobody configured: MassTransit's usage telemetry, on unless switched off, is switched
/// off wherever a service configures a bus. Read from each service's own container as its Extensions.cs wires it.
/// </summary>
[TestFixture]
public sealed class OutboundCallsTests
{
    private static IEnumerable<TestCaseData> Services()
    {
        yield return new TestCaseData((Action<WebApplicationBuilder>)(b => b.AddGateway())).SetName("The gateway sends no usage telemetry");
        yield return new TestCaseData((Action<WebApplicationBuilder>)(b => b.AddOrchestrator())).SetName("The orchestrator sends no usage telemetry");
        yield return new TestCaseData((Action<WebApplicationBuilder>)(b => b.AddPaymentAdapter())).SetName("The payment adapter sends no usage telemetry");
    }

    [TestCaseSource(nameof(Services))]
    public async Task Usage_telemetry_is_off(Action<WebApplicationBuilder> add)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CHARGELINK_TOPOLOGY"] = Path.Combine(AppContext.BaseDirectory, "no-topology-needed.json"),
            ["CHARGELINK_ENVIRONMENT"] = "development",
        });
        add(builder);
        await using var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value;
        Assert.That(options.Enabled, Is.False);
        // The payment adapter has a second bus; every bus of a service reads the same options.
        Assert.That(app.Services.GetServices<IBus>(), Is.Not.Empty);
    }
}
