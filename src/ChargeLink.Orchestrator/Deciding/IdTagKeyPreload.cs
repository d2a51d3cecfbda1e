namespace ChargeLink.Orchestrator.Deciding;

/// <summary>
/// Reads the deployment's idTag key (<see cref="IdTagKey"/>) before the bus takes a message: read on the first decision
/// instead, it held every group's first decision after a restart for seconds (the soak's 500 groups waited 9.9-11.7 s).
/// Registered before MassTransit, whose hosted service starts after this one's start has returned. A database that does
/// not answer yet does not stop the start: the key is then read on the first decision, as before.
/// Groups themselves are not loaded ahead: a state loaded before this instance owns its group could be stale when a
/// message arrives that changes nothing, and nothing would then catch it (only an append checks the stream's version).
/// </summary>
public sealed class IdTagKeyPreload(IdTagKey idTagKey, ILogger<IdTagKeyPreload> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _ = idTagKey.Value;
        }
        catch (Exception e)
        {
            logger.LogWarning("The idTag key is not read yet ({Reason}); the first decision reads it", e.Message);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
