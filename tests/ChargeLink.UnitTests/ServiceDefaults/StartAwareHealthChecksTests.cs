using ChargeLink.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChargeLink.UnitTests.ServiceDefaults;

public sealed class StartAwareHealthChecksTests
{
    private sealed class Scripted(params HealthCheckResult[] results) : IHealthCheck
    {
        private int _next;

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(results[_next++]);
    }

    [Test]
    public async Task A_check_that_never_passed_is_starting_and_one_that_passed_and_fails_is_a_fault()
    {
        var inner = new Scripted(
            HealthCheckResult.Unhealthy("Not ready: not started"),
            HealthCheckResult.Degraded("slow"),
            HealthCheckResult.Healthy(),
            HealthCheckResult.Unhealthy("broker gone"));
        var check = new StartAwareHealthChecks.StartAwareHealthCheck(inner, new StartAwareHealthChecks.StartState());
        var context = new HealthCheckContext();

        var starting = await check.CheckHealthAsync(context);
        Assert.That((starting.Status, starting.Description), Is.EqualTo((HealthStatus.Degraded, "starting: Not ready: not started")));
        Assert.That((await check.CheckHealthAsync(context)).Status, Is.EqualTo(HealthStatus.Degraded), "a degraded answer is passed on as it is");
        Assert.That((await check.CheckHealthAsync(context)).Status, Is.EqualTo(HealthStatus.Healthy));
        var fault = await check.CheckHealthAsync(context);
        Assert.That((fault.Status, fault.Description), Is.EqualTo((HealthStatus.Unhealthy, "broker gone")));
    }

    // The health check service makes a new instance of a check for every run: what it has seen must outlive them.
    [Test]
    public async Task MassTransit_s_bus_check_is_starting_before_the_bus_starts_and_a_fault_once_it_stopped()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .AddReadinessChecks()
            .AddHealthChecks()
            .AddCheck("unready-alone", () => HealthCheckResult.Unhealthy("no tag"))
            .Services;
        services.AddMassTransit(bus => bus.UsingInMemory());
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();
        Task<HealthReport> Ready() => health.CheckHealthAsync(r => r.Tags.Contains(Extensions.ReadyTag));

        var before = await Ready();
        Assert.That(before.Entries.Keys, Has.Some.StartsWith("masstransit"), "MassTransit's bus check is a readiness check");
        var bus = before.Entries.Single(e => e.Key.StartsWith("masstransit", StringComparison.Ordinal));
        Assert.That((before.Status, bus.Value.Status), Is.EqualTo((HealthStatus.Degraded, HealthStatus.Degraded)));
        Assert.That(bus.Value.Description, Does.StartWith("starting: "));
        Assert.That((await health.CheckHealthAsync(r => r.Name == "unready-alone")).Status, Is.EqualTo(HealthStatus.Unhealthy),
            "a check that is no readiness check is left as it is");

        var control = provider.GetRequiredService<IBusControl>();
        await control.StartAsync(TimeSpan.FromSeconds(30));
        Assert.That((await Ready()).Status, Is.EqualTo(HealthStatus.Healthy));
        await control.StopAsync(TimeSpan.FromSeconds(30));
        var after = await Ready();
        Assert.That(after.Status, Is.EqualTo(HealthStatus.Unhealthy), "a bus that was up and went down is a fault");
    }
}
