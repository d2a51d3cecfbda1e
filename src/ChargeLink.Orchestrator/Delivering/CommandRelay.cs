using JasperFx.Events;
using Marten;
using Marten.Events;
using MassTransit;

namespace ChargeLink.Orchestrator.Delivering;

/// <summary>Where the relay has got to in the global event sequence, and the time of the event it passed
/// last.</summary>
public sealed class RelayCheckpoint
{
    public string Id { get; set; } = "";
    public long Sequence { get; set; }

    /// <summary>When the last event passed was appended (null in checkpoints written before it was kept).</summary>
    public DateTimeOffset? PassedAt { get; set; }
}

/// <summary>
/// Commands go out right after the append (the saga's outbox), and from here those nobody here saw confirmed: the relay
/// passes the events appended since its checkpoint, a few seconds behind, and publishes the commands they call for with
/// the same deterministic message ids, unless <see cref="DispatchedCommands"/> saw that id confirmed by the broker. A
/// command whose first publish died with its process is delivered by this one; receivers drop a repeat. One leader at a
/// time (<see cref="PostgresLeaderLock"/>); the others stand by. It reads only the events that call for a command (<see
/// cref="GroupCommands.CommandingEvents"/>, filtered by PostgreSQL), and passes everything up to the head in each pass,
/// page after page: no ceiling on the rate it keeps up with.
/// </summary>
public sealed class CommandRelay(
    IDocumentStore store,
    IBus bus,
    DispatchedCommands dispatched,
    SiteTopology topology,
    ChargeLinkSettings settings,
    TimeProvider clock,
    ILogger<CommandRelay> logger
) : BackgroundService
{
    private const string CheckpointId = "command-relay";

    // Commanding events read at once; a pass reads as many pages as there are.
    private const int PageSize = 2_000;

    /// <summary>How far behind the head the relay reads: the fast path normally delivers well within it.</summary>
    public static readonly TimeSpan Lag = TimeSpan.FromSeconds(3);

    /// <summary>How often the leading relay reads.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>By when a command appended now has been published a second time by the relay, at the latest.</summary>
    public static TimeSpan RepublishWindow => Lag + Interval;
    private readonly Dictionary<Guid, string> _groupsByStream = topology.Groups.ToDictionary(
        g => GroupCorrelation.IdOf(g.Id),
        g => g.Id
    );

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var leadership = new PostgresLeaderLock(
            settings.Postgres,
            $"chargelink:{settings.PostgresSchema}:{CheckpointId}"
        );
        var leading = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var nowLeading = await leadership.HoldOrTryTake(stoppingToken);
                if (nowLeading != leading)
                    logger.LogInformation(
                        nowLeading ? "Command relay: this instance leads" : "Command relay: this instance stands by"
                    );
                leading = nowLeading;
                if (leading)
                    await RelayOnce(stoppingToken);
                else
                    await ForgetWhatTheLeaderPassed(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Command relay pass failed, retrying: {Reason}", e.Message);
            }
            await Task.Delay(leading ? Interval : TimeSpan.FromSeconds(2), clock, stoppingToken);
        }
    }

    // A standby's confirmations are of commands the leader passes: once it has passed them, they are of no more use
    // here.
    private async Task ForgetWhatTheLeaderPassed(CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        if (await session.LoadAsync<RelayCheckpoint>(CheckpointId, cancellation) is { PassedAt: { } passedAt })
            dispatched.ForgetConfirmedBefore(passedAt);
    }

    /// <summary>Publishes the commands of events past the checkpoint and older than the lag; returns how
    /// many.</summary>
    public async Task<int> RelayOnce(CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        var checkpoint = await session.LoadAsync<RelayCheckpoint>(CheckpointId, cancellation);
        if (checkpoint is null)
        {
            // A new relay starts at the head: history before it was dispatched by whoever wrote it.
            var newest = await session
                .Events.QueryAllRawEvents()
                .OrderByDescending(e => e.Sequence)
                .FirstOrDefaultAsync(cancellation);
            session.Store(
                new RelayCheckpoint
                {
                    Id = CheckpointId,
                    Sequence = newest?.Sequence ?? 0,
                    PassedAt = newest?.Timestamp,
                }
            );
            await session.SaveChangesAsync(cancellation);
            return 0;
        }

        var now = clock.GetUtcNow();
        var cutoff = now - Lag;
        // The newest event old enough to pass: everything up to it is passed in this pass.
        var head = await session
            .Events.QueryAllRawEvents()
            .Where(e => e.Sequence > checkpoint.Sequence && e.Timestamp <= cutoff)
            .OrderByDescending(e => e.Sequence)
            .FirstOrDefaultAsync(cancellation);
        if (head is null)
        {
            // Nothing old enough to pass: the relay is caught up, whatever the age of the last event it passed (a quiet
            // system appends nothing; the gauge once grew with the quiet and read as lag).
            OrchestratorMetrics.RelayLag.Set(Lag.TotalSeconds);
            return 0;
        }

        var published = 0;
        var from = checkpoint.Sequence;
        while (true)
        {
            var page = await session
                .Events.QueryAllRawEvents()
                .Where(e =>
                    e.Sequence > from && e.Sequence <= head.Sequence && e.EventTypesAre(GroupCommands.CommandingEvents)
                )
                .OrderBy(e => e.Sequence)
                .Take(PageSize)
                .ToListAsync(cancellation);
            var commands = page.Select(e =>
                    e.Data is IGroupEvent groupEvent && _groupsByStream.TryGetValue(e.StreamId, out var groupId)
                        ? GroupCommands.For(groupId, groupEvent)
                        : null
                )
                .OfType<GroupCommand>()
                .Where(command => !dispatched.TakeConfirmed(command.MessageId))
                .ToList();
            // One page's commands go out together; their order never mattered (each has its own receiver and id).
            await Task.WhenAll(commands.Select(command => command.Dispatch(bus, bus, cancellation)));
            published += commands.Count;
            if (page.Count < PageSize)
                break;
            from = page[^1].Sequence;
        }
        checkpoint.Sequence = head.Sequence;
        checkpoint.PassedAt = head.Timestamp;
        session.Store(checkpoint);
        await session.SaveChangesAsync(cancellation);
        dispatched.ForgetConfirmedBefore(head.Timestamp);
        OrchestratorMetrics.RelayLag.Set(Math.Max((now - head.Timestamp).TotalSeconds, 0));
        if (published > 0)
        {
            OrchestratorMetrics.RelayRepublished.Inc(published);
            logger.LogDebug(
                "Command relay re-published {Count} command(s) up to sequence {Sequence}",
                published,
                checkpoint.Sequence
            );
        }
        return published;
    }
}
