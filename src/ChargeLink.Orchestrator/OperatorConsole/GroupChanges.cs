using System.Collections.Concurrent;
using System.Threading.Channels;
using ChargeLink.ServiceDefaults;
using Npgsql;

namespace ChargeLink.Orchestrator.OperatorConsole;

/// <summary>A group's read models changed: committed at this stream version.</summary>
public sealed record GroupChanged(string GroupId, long Version);

/// <summary>
/// Tells the console's open pages, within moments, that a group's read models changed. Every commit that projects a
/// group's events also sends a PostgreSQL NOTIFY in its transaction (<see cref="Notify"/>), which PostgreSQL delivers
/// on commit and never for a rollback; each orchestrator instance LISTENs on one connection and fans the news out to
/// its pages. So a page hears of every group, whichever instance owns it, and no page polls the database.
/// </summary>
public sealed class GroupChanges(ChargeLinkSettings settings, ILogger<GroupChanges> logger) : BackgroundService
{
    /// <summary>The NOTIFY channel: one per Marten schema, so that two deployments on one database stay apart.</summary>
    public static string Channel(string schema) => $"chargelink_groups_{schema}";

    /// <summary>The statement that a projection queues in its transaction (payload: groupId, a tab, the version).</summary>
    public static (string Sql, object[] Parameters) Notify(string schema, string groupId, long version) =>
        ("select pg_notify(?, ?)", [Channel(schema), $"{groupId}\t{version}"]);

    private readonly ConcurrentDictionary<Guid, Channel<GroupChanged>> _pages = new();

    /// <summary>The changes from now on, until <paramref name="cancellation"/>; a page that reads too slowly misses the oldest.</summary>
    public async IAsyncEnumerable<GroupChanged> Follow([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        var id = Guid.NewGuid();
        var changes = System.Threading.Channels.Channel.CreateBounded<GroupChanged>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.Postgres);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Publish(e.Payload);
                await using (var listen = new NpgsqlCommand($"listen \"{Channel(settings.PostgresSchema)}\"", connection))
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
                // Pages reload what they show when they reconnect; news missed meanwhile is not lost, only late.
                logger.LogWarning(e, "Listening for group changes failed; again in 2 s");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private void Publish(string payload)
    {
        var parts = payload.Split('\t');
        if (parts.Length != 2 || !long.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var version))
            return;
        var change = new GroupChanged(parts[0], version);
        foreach (var page in _pages.Values)
            page.Writer.TryWrite(change);
    }
}
