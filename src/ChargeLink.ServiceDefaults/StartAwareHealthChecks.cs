using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// Readiness as a service's start sees it. Until a readiness check (the bus's, PostgreSQL's) has passed once, its
/// failure is the service still starting: reported Degraded, which /health/ready still answers 503 and the health check
/// service logs as a warning. Once it has passed, a failure is a fault: Unhealthy, logged as an error. Before this,
/// every readiness poll during a normal start (a bench's, a container orchestrator's probe) logged an error for a bus
/// that had simply not started yet, and an on-call engineer could not tell it from a broker that went away.
/// </summary>
public static class StartAwareHealthChecks
{
    /// <summary>Wraps every check tagged <paramref name="tag"/>; each keeps, for the life of the process, whether it
    /// has passed (the health check service makes a new instance of a check for every run).</summary>
    public static void Apply(HealthCheckServiceOptions options, string tag)
    {
        foreach (var registration in options.Registrations.Where(r => r.Tags.Contains(tag)))
        {
            var factory = registration.Factory;
            var start = new StartState();
            registration.Factory = services => new StartAwareHealthCheck(factory(services), start);
        }
    }

    /// <summary>Whether a check has passed since the process started.</summary>
    public sealed class StartState
    {
        private volatile bool _passed;

        public bool Passed => _passed;

        public void Pass() => _passed = true;
    }

    public sealed class StartAwareHealthCheck(IHealthCheck inner, StartState start) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(
            HealthCheckContext context,
            CancellationToken cancellationToken = default
        )
        {
            var result = await inner.CheckHealthAsync(context, cancellationToken);
            if (result.Status == HealthStatus.Healthy)
                start.Pass();
            return result.Status != HealthStatus.Unhealthy || start.Passed
                ? result
                : new HealthCheckResult(
                    HealthStatus.Degraded,
                    $"starting: {result.Description}",
                    result.Exception,
                    result.Data
                );
        }
    }
}
