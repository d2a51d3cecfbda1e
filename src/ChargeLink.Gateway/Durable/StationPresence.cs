using ChargeLink.Gateway.Stations;
using ChargeLink.ServiceDefaults;
using Npgsql;

namespace ChargeLink.Gateway.Durable;

/// <summary>
/// Records which stations this gateway serves (<see cref="StationPresenceTable"/>), for the operator's console, and
/// tells the console's pages of each change. Information only: a failure here is logged and costs no station its
/// connection.
/// </summary>
public sealed class StationPresence(GatewayDatabase database, ChargeLinkSettings settings, ConnectionRegistry connections, ILogger<StationPresence> logger)
    : BackgroundService
{
    // This process: a row another gateway (or this one before a restart) wrote is never taken for ours.
    private readonly string _gateway = $"{Environment.MachineName}/{Guid.NewGuid():N}";

    public Task Connected(string chargePointId, string groupId, string subprotocol) => Write(groupId, $"""
        insert into {database.Schema}.{StationPresenceTable.Name} (charge_point_id, group_id, subprotocol, connected, since, seen_at, gateway)
        values ($1, $2, $3, true, now(), now(), $4)
        on conflict (charge_point_id) do update set group_id = $2, subprotocol = $3, connected = true, since = now(), seen_at = now(), gateway = $4
        """, chargePointId, groupId, subprotocol, _gateway);

    // Only the row this gateway wrote: the station may already be connected to another one.
    public Task Disconnected(string chargePointId, string groupId) => Write(groupId, $"""
        update {database.Schema}.{StationPresenceTable.Name} set connected = false, since = now()
        where charge_point_id = $1 and gateway = $2 and connected
        """, chargePointId, _gateway);

    // The change and the console's news of it, in one round trip.
    private async Task Write(string groupId, string sql, params object[] parameters)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await using var connection = await database.Open(timeout.Token);
            var change = new NpgsqlBatchCommand(sql);
            foreach (var parameter in parameters)
                change.Parameters.Add(new NpgsqlParameter { Value = parameter });
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    change,
                    new NpgsqlBatchCommand("select pg_notify($1, $2)") { Parameters = { new() { Value = GroupChangesChannel.Of(settings.PostgresSchema) }, new() { Value = $"{groupId}\t0" } } },
                },
            };
            await batch.ExecuteNonQueryAsync(timeout.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("Could not record the presence of a station of {GroupId}: {Reason}", groupId, e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(StationPresenceTable.Refresh);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (connections.Count == 0)
                    continue;
                try
                {
                    await using var connection = await database.Open(stoppingToken);
                    await using var refresh = new NpgsqlCommand($"update {database.Schema}.{StationPresenceTable.Name} set seen_at = now() where gateway = $1 and connected", connection)
                    {
                        Parameters = { new() { Value = _gateway } },
                    };
                    await refresh.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("Could not refresh the presence of the stations served here: {Reason}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
