using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;
using ChargeLink.ServiceDefaults;
using JasperFx.Events;
using Marten;
using MassTransit;

namespace ChargeLink.Orchestrator.Delivering;

/// <summary>Where the relay has got to in the global event sequence.</summary>
public sealed class RelayCheckpoint
{
    public string Id { get; set; } = "";
    public long Sequence { get; set; }
}

/// <summary>
/// Commands go out right after the append (the saga's outbox), and from here those nobody here saw confirmed: the relay
/// reads the events appended since its checkpoint, a few seconds behind, and publishes the commands they call for with
/// the same deterministic message ids, unless <see cref="DispatchedCommands"/> saw that id confirmed by the broker. A
/// command whose first publish died with its process is delivered by this one; receivers drop a repeat. One leader at a
/// time (<see cref="PostgresLeaderLock"/>); the others stand by.
/// </summary>
public sealed class CommandRelay(IDocumentStore store, IBus bus, DispatchedCommands dispatched, SiteTopology topology, ChargeLinkSettings settings, TimeProvider clock, ILogger<CommandRelay> logger) : BackgroundService
{
    private const string CheckpointId = "command-relay";

    /// <summary>How far behind the head the relay reads: the fast path normally delivers well within it.</summary>
    public static readonly TimeSpan Lag = TimeSpan.FromSeconds(3);

    /// <summary>How often the leading relay reads.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>By when a command appended now has been published a second time by the relay, at the latest.</summary>
    public static TimeSpan RepublishWindow => Lag + Interval;
    private readonly Dictionary<Guid, string> _groupsByStream = topology.Groups.ToDictionary(g => GroupCorrelation.IdOf(g.Id), g => g.Id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var leadership = new PostgresLeaderLock(settings.Postgres, $"chargelink:{settings.PostgresSchema}:{CheckpointId}");
        var leading = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var nowLeading = await leadership.HoldOrTryTake(stoppingToken);
                if (nowLeading != leading)
                    logger.LogInformation(nowLeading ? "Command relay: this instance leads" : "Command relay: this instance stands by");
                leading = nowLeading;
                if (leading)
                    await RelayOnce(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Command relay pass failed, retrying: {Reason}", e.Message);
            }
            await Task.Delay(leading ? Interval : TimeSpan.FromSeconds(2), clock, stoppingToken);
        }
    }

    /// <summary>Publishes the commands of events past the checkpoint and older than the lag; returns how many.</summary>
    public async Task<int> RelayOnce(CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        var checkpoint = await session.LoadAsync<RelayCheckpoint>(CheckpointId, cancellation);
        if (checkpoint is null)
        {
            // A new relay starts at the head: history before it was dispatched by whoever wrote it.
            var head = await session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Select(e => e.Sequence).FirstOrDefaultAsync(cancellation);
            session.Store(new RelayCheckpoint { Id = CheckpointId, Sequence = head });
            await session.SaveChangesAsync(cancellation);
            return 0;
        }

        var cutoff = clock.GetUtcNow() - Lag;
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > checkpoint.Sequence && e.Timestamp <= cutoff)
            .OrderBy(e => e.Sequence)
            .Take(1000)
            .ToListAsync(cancellation);
        if (events.Count == 0)
            return 0;

        var published = 0;
        foreach (var e in events)
        {
            if (e.Data is not IGroupEvent groupEvent || !_groupsByStream.TryGetValue(e.StreamId, out var groupId))
                continue;
            if (GroupCommands.For(groupId, groupEvent) is not { } command || dispatched.TakeConfirmed(command.MessageId))
                continue;
            await command.Dispatch(bus, bus, cancellation);
            published++;
        }
        checkpoint.Sequence = events[^1].Sequence;
        session.Store(checkpoint);
        await session.SaveChangesAsync(cancellation);
        if (published > 0)
            logger.LogDebug("Command relay re-published {Count} command(s) up to sequence {Sequence}", published, checkpoint.Sequence);
        return published;
    }
}
