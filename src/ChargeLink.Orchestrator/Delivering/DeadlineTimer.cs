using Marten;
using MassTransit;

namespace ChargeLink.Orchestrator.Delivering;

/// <summary>
/// Wakes groups whose deadline has come, from the deadline index kept beside the streams (there is no delayed
/// delivery in our RabbitMQ). A wake-up is idempotent — the group re-checks every deadline against its own
/// state — so every orchestrator instance may run this; a due group is woken again only if still due later.
/// A group that left the topology and still holds something (it has a deadline) is woken once at start, whenever its
/// deadline is: what it holds waits for nothing any more, and the decider ends it now (waiting payments voided).
/// </summary>
public sealed class DeadlineTimer(
    IDocumentStore store,
    IBus bus,
    TimeProvider clock,
    SiteTopology topology,
    ILogger<DeadlineTimer> logger
) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RewakeAfter = TimeSpan.FromSeconds(5);
    private readonly Dictionary<Guid, (DateTimeOffset DueAt, DateTimeOffset WokenAt)> _woken = [];
    private bool _removedGroupsWoken;

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
        if (!_removedGroupsWoken)
        {
            var groups = topology.Groups.Select(g => g.Id).ToList();
            var removed = await session
                .Query<SagaDeadline>()
                .Where(d => d.DueAt != null && !groups.Contains(d.Owner))
                .ToListAsync(cancellation);
            foreach (var deadline in removed)
            {
                logger.LogWarning(
                    "Group {GroupId} is not in the topology and still holds payments or sessions: "
                        + "woken to end them by the rules",
                    deadline.Owner
                );
                await bus.Publish(new GroupDeadlineDue(deadline.Owner, now), cancellation);
            }
            _removedGroupsWoken = true;
        }
        var due = await session
            .Query<SagaDeadline>()
            .Where(d => d.DueAt != null && d.DueAt <= now)
            .OrderBy(d => d.DueAt)
            .Take(500)
            .ToListAsync(cancellation);
        foreach (var deadline in due)
        {
            if (
                _woken.TryGetValue(deadline.Id, out var last)
                && last.DueAt == deadline.DueAt
                && now - last.WokenAt < RewakeAfter
            )
                continue;
            await bus.Publish(new GroupDeadlineDue(deadline.Owner, deadline.DueAt!.Value), cancellation);
            _woken[deadline.Id] = (deadline.DueAt.Value, now);
        }
        if (_woken.Count > 10_000)
            _woken.Clear();
    }
}
