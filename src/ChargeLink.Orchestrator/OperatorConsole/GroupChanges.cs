using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using ChargeLink.Orchestrator.Deciding;
using Npgsql;

namespace ChargeLink.Orchestrator.OperatorConsole;

/// <summary>A group's read models changed: committed at this stream version.</summary>
public sealed record GroupChanged(string GroupId, long Version);

/// <summary>
/// Tells the console's open pages, within moments, that a group's read models changed, whichever orchestrator instance
/// committed the change. After each commit the instance notes the group (<see cref="Committed"/>); every <see
/// cref="FlushEvery"/> it sends what it noted as one PostgreSQL NOTIFY, and every instance LISTENs on one connection
/// and fans the news out to its pages; the gateways send on the same channel when a station connects or leaves (version
/// 0). No page polls the database. Not NOTIFY inside each write transaction: PostgreSQL serialises the commits of
/// transactions that notify, and with four group commits in flight that put make bench-cpu's p50 at 50/s from 19 ms to
/// 31-54 ms. The price: a change is told up to one flush later, and one that an instance committed just before it died
/// is not told at all (the page shows it with the next change, or when it reconnects).
/// </summary>
public sealed class GroupChanges(ChargeLinkSettings settings, ILogger<GroupChanges> logger)
    : BackgroundService,
        ICommitObserver<StationGroupSaga>
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<Guid, Channel<GroupChanged>> _pages = new();
    private readonly ConcurrentDictionary<string, long> _noted = new(StringComparer.Ordinal);

    private string ChannelName => GroupChangesChannel.Of(settings.PostgresSchema);

    /// <summary>A group's append committed (<see cref="ICommitObserver{TSaga}"/>): told at the next flush.</summary>
    public void Committed(StationGroupSaga saga, long streamVersion) => Committed(saga.GroupId, streamVersion);

    /// <summary>Notes that <paramref name="groupId"/> was committed at <paramref name="version"/>; told at the next
    /// flush.</summary>
    public void Committed(string groupId, long version) =>
        _noted.AddOrUpdate(groupId, version, (_, noted) => Math.Max(noted, version));

    /// <summary>The changes from now on, until <paramref name="cancellation"/>; a page that reads too slowly misses the
    /// oldest.</summary>
    public async IAsyncEnumerable<GroupChanged> Follow(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation
    )
    {
        var id = Guid.NewGuid();
        var changes = Channel.CreateBounded<GroupChanged>(
            new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest }
        );
        _pages[id] = changes;
        try
        {
            await foreach (var change in changes.Reader.ReadAllAsync(cancellation))
                yield return change;
        }
        finally
        {
            _pages.TryRemove(id, out _);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Listen(stoppingToken), Flush(stoppingToken));

    private async Task Flush(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (_noted.IsEmpty)
                    continue;
                var batch = new List<string>();
                foreach (var groupId in _noted.Keys)
                {
                    if (_noted.TryRemove(groupId, out var version))
                        batch.Add($"{groupId}\t{version.ToString(CultureInfo.InvariantCulture)}");
                }
                try
                {
                    await Notify(batch, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Only news is lost, never data: the pages catch up with the next change or when they reconnect.
                    logger.LogWarning(e, "Could not tell the console of {Groups} changed group(s)", batch.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task Notify(List<string> lines, CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(settings.Postgres);
        await connection.OpenAsync(cancellation);
        foreach (var payload in GroupChangesChannel.Payloads(lines))
            await Send(connection, payload, cancellation);
    }

    private async Task Send(NpgsqlConnection connection, string payload, CancellationToken cancellation)
    {
        await using var notify = new NpgsqlCommand("select pg_notify($1, $2)", connection);
        notify.Parameters.Add(new NpgsqlParameter { Value = ChannelName });
        notify.Parameters.Add(new NpgsqlParameter { Value = payload });
        await notify.ExecuteNonQueryAsync(cancellation);
    }

    private async Task Listen(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Outside the pool: the LISTEN ends with the connection.
                await using var connection = new NpgsqlConnection(PostgresConnections.OwnSession(settings.Postgres));
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Publish(e.Payload);
                await using (var listen = new NpgsqlCommand($"listen \"{ChannelName}\"", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Pages re-read what they show when they reconnect; news missed meanwhile is late, not lost data.
                logger.LogWarning(e, "Listening for group changes failed; again in 2 s");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Publish(string payload)
    {
        foreach (var line in payload.Split('\n'))
        {
            var parts = line.Split('\t');
            if (parts.Length != 2 || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var version))
                continue;
            var change = new GroupChanged(parts[0], version);
            foreach (var page in _pages.Values)
                page.Writer.TryWrite(change);
        }
    }
}
