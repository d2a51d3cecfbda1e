using Npgsql;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// A service's own PostgreSQL tables, created on the first connection it opens (not at start: a service waits for
/// the database no longer than its first use needs it). The creation runs in one transaction under an advisory lock
/// named for the service, so that several instances starting at once do not collide on "create if not exists".
/// </summary>
public sealed class TablesOnFirstUse(string connectionString, string lockName, string createSql) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);
    private readonly SemaphoreSlim _creating = new(1, 1);
    private volatile bool _created;

    public async Task<NpgsqlConnection> Open(CancellationToken cancellation)
    {
        if (!_created)
            await Create(cancellation);
        return await _source.OpenConnectionAsync(cancellation);
    }

    private async Task Create(CancellationToken cancellation)
    {
        await _creating.WaitAsync(cancellation);
        try
        {
            if (_created)
                return;
            await using var connection = await _source.OpenConnectionAsync(cancellation);
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            await using (var locked = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext($1))", connection))
            {
                locked.Transaction = transaction;
                locked.Parameters.Add(new NpgsqlParameter { Value = lockName });
                await locked.ExecuteNonQueryAsync(cancellation);
            }
            await using (var create = new NpgsqlCommand(createSql, connection, transaction))
                await create.ExecuteNonQueryAsync(cancellation);
            await transaction.CommitAsync(cancellation);
            _created = true;
        }
        finally
        {
            _creating.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        _creating.Dispose();
    }
}
