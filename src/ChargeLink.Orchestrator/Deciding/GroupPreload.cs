using System.Diagnostics;
using Marten;

namespace ChargeLink.Orchestrator.Deciding;

/// <summary>
/// What a start would otherwise read message by message, read ahead. The deployment's idTag key (<see
/// cref="IdTagKey"/>) before the bus takes a message: read on the first decision instead, it held every group's first
/// decision after a restart for seconds. Then every group of the topology, folded from its snapshot and the events
/// after it, and its read models, in a few queries (<see cref="ISagaEventStore{TSaga}.Preload"/>): loaded one by one as
/// their first messages arrived, 16 partitions at a time, the soak's 500 groups took 8.6 s to decide after a cold
/// restart. The bus waits for the groups at most <see cref="WaitAtMost"/> (500 groups: about 2.5 s); past that it takes
/// messages while the reading goes on, and a message that arrives first loads its group itself, as before. Registered
/// before MassTransit, whose hosted service starts after this one's start has returned. A database that does not answer
/// yet does not stop the start: the key is then read on the first decision, each group on its first message.
/// </summary>
public sealed class GroupPreload(
    IdTagKey idTagKey,
    SiteTopology topology,
    IDocumentStore store,
    ISagaEventStore<StationGroupSaga> sagas,
    IEnumerable<ISagaProjection<StationGroupSaga>> projections,
    ILogger<GroupPreload> logger
) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _groups = Task.CompletedTask;

    // How long the bus waits for the groups before it takes messages anyway (the rest are then read on their first
    // message or by the preload, whichever comes first).
    private static readonly TimeSpan WaitAtMost = TimeSpan.FromSeconds(10);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _ = idTagKey.Value;
        }
        catch (Exception e)
        {
            logger.LogWarning("The idTag key is not read yet ({Reason}); the first decision reads it", e.Message);
        }
        _groups = Task.Run(() => PreloadGroups(_stopping.Token), CancellationToken.None);
        await Task.WhenAny(_groups, Task.Delay(WaitAtMost, cancellationToken));
    }

    private async Task PreloadGroups(CancellationToken cancellation)
    {
        var streams = topology.Groups.Select(g => GroupCorrelation.IdOf(g.Id)).ToArray();
        var elapsed = Stopwatch.StartNew();
        try
        {
            await sagas.Preload(streams, cancellation);
            await using var session = store.QuerySession();
            foreach (var projection in projections)
                await projection.Preload(session, streams, cancellation);
            logger.LogInformation(
                "Preloaded the {Groups} groups of the topology in {ElapsedMs} ms",
                streams.Length,
                elapsed.ElapsedMilliseconds
            );
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested) { }
        catch (Exception e)
        {
            logger.LogWarning("The groups were not preloaded ({Reason}); each is read on its first message", e.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _groups;
    }
}
