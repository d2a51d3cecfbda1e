using ChargeLink.Contracts;
using Marten;
using MassTransit;

namespace ChargeLink.Orchestrator.Delivering;

/// <summary>
/// Wakes groups whose deadline has come, from the deadline index kept beside the streams (there is no delayed
/// delivery in our RabbitMQ). A wake-up is idempotent — the group re-checks every deadline against its own
/// state — so every orchestrator instance may run this; a due group is woken again only if still due later.
/// </summary>
public sealed class DeadlineTimer(IDocumentStore store, IBus bus, TimeProvider clock, ILogger<DeadlineTimer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RewakeAfter = TimeSpan.FromSeconds(5);
    private readonly Dictionary<Guid, (DateTimeOffset DueAt, DateTimeOffset WokenAt)> _woken = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await WakeDueGroups(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Deadline check failed, retrying: {Reason}", e.Message);
            }
        }
    }

    private async Task WakeDueGroups(CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        await using var session = store.QuerySession();
        var due = await session.Query<SagaDeadline>().Where(d => d.DueAt != null && d.DueAt <= now).OrderBy(d => d.DueAt).Take(500).ToListAsync(cancellation);
        foreach (var deadline in due)
        {
            if (_woken.TryGetValue(deadline.Id, out var last) && last.DueAt == deadline.DueAt && now - last.WokenAt < RewakeAfter)
                continue;
            await bus.Publish(new GroupDeadlineDue(deadline.Owner, deadline.DueAt!.Value), cancellation);
            _woken[deadline.Id] = (deadline.DueAt.Value, now);
        }
        if (_woken.Count > 10_000)
            _woken.Clear();
    }
}
