using Npgsql;

namespace ChargeLink.Gateway.Durable;

/// <summary>
/// Records which stations this gateway serves (<see cref="StationPresenceTable"/>), for the operator's console, and
/// tells the console's pages of each change. A connection only notes its change; every <see cref="FlushEvery"/> the
/// notes go out in one round trip (the last note of a station wins, so order per station holds), and every
/// <see cref="StationPresenceTable.Refresh"/> the rows of all stations served here are marked seen. Written inline, one
/// round trip per connection doubled the time 1,000 stations took to reconnect after a gateway restart (4.2 to 9.3 s).
/// Information only: a failure is logged and costs no station its connection.
/// </summary>
public sealed class StationPresence(
    GatewayDatabase database,
    ChargeLinkSettings settings,
    ConnectionRegistry connections,
    TimeProvider clock,
    ILogger<StationPresence> logger
) : BackgroundService
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(100);

    private sealed record Note(string GroupId, string? Subprotocol, DateTimeOffset At);

    // This process: a row another gateway (or this one before a restart) wrote is never taken for ours.
    private readonly string _gateway = $"{Environment.MachineName}/{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<string, Note> _notes = new(StringComparer.Ordinal);

    /// <summary>Notes that this gateway serves the station from now on.</summary>
    public void Connected(string chargePointId, string groupId, string subprotocol) =>
        _notes[chargePointId] = new Note(groupId, subprotocol, clock.GetUtcNow());

    /// <summary>Notes that this gateway no longer serves it (a subprotocol of null).</summary>
    public void Disconnected(string chargePointId, string groupId) =>
        _notes[chargePointId] = new Note(groupId, null, clock.GetUtcNow());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery);
        var refreshed = clock.GetUtcNow();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await Try(Flush, "record which stations are served here", stoppingToken);
                if (clock.GetUtcNow() - refreshed >= StationPresenceTable.Refresh)
                {
                    refreshed = clock.GetUtcNow();
                    await Try(Refresh, "refresh the stations served here", stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        // Stopping: the last notes (stations this gateway no longer serves, mostly) still go out.
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Try(Flush, "record the last changes before stopping", last.Token);
    }

    // Each on its own: a flush that fails must not keep the rows of the stations served here from being refreshed.
    private async Task Try(Func<CancellationToken, Task> write, string what, CancellationToken cancellation)
    {
        try
        {
            await write(cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            logger.LogWarning("Could not {What}: {Reason}", what, e.Message);
        }
        catch (OperationCanceledException) { }
    }

    private async Task Flush(CancellationToken cancellation)
    {
        if (_notes.IsEmpty)
            return;
        var notes = new List<(string ChargePointId, Note Note)>();
        foreach (var chargePointId in _notes.Keys)
        {
            if (_notes.TryRemove(chargePointId, out var note))
                notes.Add((chargePointId, note));
        }
        var connected = notes.Where(n => n.Note.Subprotocol is not null).ToList();
        var disconnected = notes.Where(n => n.Note.Subprotocol is null).ToList();
        await using var connection = await database.Open(cancellation);
        await using var batch = new NpgsqlBatch(connection);
        if (connected.Count > 0)
        {
            batch.BatchCommands.Add(
                new NpgsqlBatchCommand(
                    $"""
                    insert into {database.Schema}.{StationPresenceTable.Name} (charge_point_id, group_id, subprotocol,
                    connected, since, seen_at, gateway)
                    select id, grp, protocol, true, at, now(), $5 from unnest($1::text[], $2::text[], $3::text[],
                    $4::timestamptz[]) as n(id, grp, protocol, at)
                    on conflict (charge_point_id) do update set group_id = excluded.group_id, subprotocol =
                    excluded.subprotocol, connected = true,
                        since = excluded.since, seen_at = now(), gateway = excluded.gateway
                    """
                )
                {
                    Parameters =
                    {
                        new() { Value = connected.Select(n => n.ChargePointId).ToArray() },
                        new() { Value = connected.Select(n => n.Note.GroupId).ToArray() },
                        new() { Value = connected.Select(n => n.Note.Subprotocol!).ToArray() },
                        new() { Value = connected.Select(n => n.Note.At.ToUniversalTime()).ToArray() },
                        new() { Value = _gateway },
                    },
                }
            );
        }
        if (disconnected.Count > 0)
        {
            // Only rows this gateway wrote: a station may already be connected to another one.
            batch.BatchCommands.Add(
                new NpgsqlBatchCommand(
                    $"""
                    update {database.Schema}.{StationPresenceTable.Name} p set connected = false, since = n.at
                    from unnest($1::text[], $2::timestamptz[]) as n(id, at) where p.charge_point_id = n.id and p.gateway
                    = $3 and p.connected
                    """
                )
                {
                    Parameters =
                    {
                        new() { Value = disconnected.Select(n => n.ChargePointId).ToArray() },
                        new() { Value = disconnected.Select(n => n.Note.At.ToUniversalTime()).ToArray() },
                        new() { Value = _gateway },
                    },
                }
            );
        }
        // Within NOTIFY's limit, however many groups changed: one refused payload would roll the writes back too.
        foreach (
            var payload in GroupChangesChannel.Payloads(
                notes.Select(n => n.Note.GroupId).Distinct(StringComparer.Ordinal).Select(group => $"{group}\t0")
            )
        )
        {
            batch.BatchCommands.Add(
                new NpgsqlBatchCommand("select pg_notify($1, $2)")
                {
                    Parameters =
                    {
                        new() { Value = GroupChangesChannel.Of(settings.PostgresSchema) },
                        new() { Value = payload },
                    },
                }
            );
        }
        try
        {
            await batch.ExecuteNonQueryAsync(cancellation);
        }
        catch
        {
            // Tried again at the next flush, unless a newer note of the same station came meanwhile.
            foreach (var (chargePointId, note) in notes)
                _notes.TryAdd(chargePointId, note);
            throw;
        }
    }

    private async Task Refresh(CancellationToken cancellation)
    {
        if (connections.Count == 0)
            return;
        await using var connection = await database.Open(cancellation);
        await using var refresh = new NpgsqlCommand(
            $"update {database.Schema}.{StationPresenceTable.Name} set seen_at = now() where "
                + "gateway = $1 and connected",
            connection
        )
        {
            Parameters = { new() { Value = _gateway } },
        };
        await refresh.ExecuteNonQueryAsync(cancellation);
    }
}
