namespace ChargeLink.Gateway.Durable;

/// <summary>
/// Writes the ledger's published marks (<see cref="TransactionLedger.MarkPublished"/>) every <see cref="FlushEvery"/>,
/// all of them in one round trip, and once more when the gateway stops. A mark written inline cost each start a round
/// trip and a commit of its own, after its publish and before the station's answer.
/// </summary>
public sealed class PublishedMarks(TransactionLedger ledger, ILogger<PublishedMarks> logger) : BackgroundService
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await Flush(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Flush(cancellationToken);
    }

    private async Task Flush(CancellationToken cancellation)
    {
        try
        {
            await ledger.FlushPublished(cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            // Kept for the next flush; meanwhile a resend publishes its start again, which the group ignores.
            logger.LogWarning(
                "Could not mark {Count} transaction(s) published: {Reason}",
                ledger.PublishedPending,
                e.Message
            );
        }
        catch (OperationCanceledException) { }
    }
}
