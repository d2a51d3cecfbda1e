using Npgsql;

namespace ChargeLink.Orchestrator.Delivering;

/// <summary>
/// Leadership among orchestrator instances: a PostgreSQL session-level advisory lock held on a connection of
/// its own, outside the pool (<see cref="PostgresConnections.OwnSession"/>). The lock goes with the connection, so a
/// killed leader frees it at once, and one that steps down frees it by closing the connection. (Marten's HotCold daemon
/// mode would do this, but fails with our DistributedLock bridge; see build/marten-bridge/README.md.)
/// </summary>
public sealed class PostgresLeaderLock(string connectionString, string name) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;

    // One 64-bit lock key per name (and schema), stable across processes.
    private readonly long _key = BitConverter.ToInt64(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)),
        0
    );

    /// <summary>True while this instance holds the lock; tries to take it when it does not.</summary>
    public async Task<bool> HoldOrTryTake(CancellationToken cancellation)
    {
        try
        {
            if (_connection is { State: System.Data.ConnectionState.Open })
            {
                // Still ours as long as the session lives.
                await using var alive = new NpgsqlCommand("select 1", _connection);
                await alive.ExecuteScalarAsync(cancellation);
                return true;
            }
            await DropConnection();
            _connection = new NpgsqlConnection(PostgresConnections.OwnSession(connectionString));
            await _connection.OpenAsync(cancellation);
            await using var take = new NpgsqlCommand("select pg_try_advisory_lock(@key)", _connection);
            take.Parameters.AddWithValue("key", _key);
            if (await take.ExecuteScalarAsync(cancellation) is true)
                return true;
            await DropConnection();
            return false;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await DropConnection();
            return false;
        }
    }

    private async Task DropConnection()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
        _connection = null;
    }

    public ValueTask DisposeAsync() => new(DropConnection());
}
