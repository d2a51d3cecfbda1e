using ChargeLink.Contracts;
using ChargeLink.Domain.Topology;
using ChargeLink.Orchestrator.Deciding;

namespace ChargeLink.Orchestrator.Storing;

/// <summary>
/// At start, before the bus takes a message, every group of the topology is loaded into the store's memory from its
/// snapshot and the events after it (a few at a time), so that the first message of each group after a restart or a
/// failover is decided at once instead of waiting behind its partition's earlier loads. Registered before MassTransit,
/// whose hosted service starts after this one's start has returned. A state loaded here and moved on by another instance
/// meanwhile is caught by the expected-version append, like any other.
/// </summary>
public sealed class GroupPreload(ISagaEventStore<StationGroupSaga> store, SiteTopology topology, IdTagKey idTagKey, ILogger<GroupPreload> logger) : IHostedService
{
    private const int AtOnce = 8;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var loaded = 0;
        try
        {
            // The idTag key too: every decision that starts a session needs it, and its first read is a round trip.
            _ = idTagKey.Value;
            await Parallel.ForEachAsync(topology.Groups, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = cancellationToken }, async (group, token) =>
            {
                if ((await store.Load(GroupCorrelation.IdOf(group.Id), token)).Saga is not null)
                    Interlocked.Increment(ref loaded);
            });
            logger.LogInformation("Loaded {Loaded} of {Groups} groups in {Seconds:0.00} s before taking messages", loaded, topology.Groups.Count, TimeProvider.System.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A database that does not answer yet: the service starts anyway (not ready until it does), groups load on demand.
            logger.LogWarning("Groups not loaded before taking messages ({Loaded} of {Groups}): {Reason}; each loads with its first message", loaded, topology.Groups.Count, e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
