using ChargeLink.ServiceDefaults;
using Npgsql;

namespace ChargeLink.Gateway.Ocpp;

/// <summary>
/// OCPP transaction ids (32-bit integers), unique across every gateway instance and restart: blocks of
/// <see cref="BlockSize"/> are taken from one PostgreSQL sequence, so a StartTransaction costs a database round
/// trip only once per block. Ids left in a block when an instance stops are simply never used.
/// </summary>
public sealed class TransactionIds(ChargeLinkSettings settings) : IAsyncDisposable
{
    public const int BlockSize = 100;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _sequence = $"\"{settings.PostgresSchema}\".chargelink_transaction_ids";
    private long _next;
    private long _end;
    private bool _created;

    public async Task<int> Next(CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation);
        try
        {
            if (_next >= _end)
            {
                var start = await TakeBlock(cancellation);
                (_next, _end) = (start, start + BlockSize);
            }
            return checked((int)_next++);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<long> TakeBlock(CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(settings.Postgres);
        await connection.OpenAsync(cancellation);
        if (!_created)
        {
            // Increment by a block: nextval hands each instance the first id of a block of its own.
            await using var create = new NpgsqlCommand(
                $"create schema if not exists \"{settings.PostgresSchema}\"; create sequence if not exists {_sequence} as integer increment by {BlockSize} minvalue 1 start with 1",
                connection);
            await create.ExecuteNonQueryAsync(cancellation);
            _created = true;
        }
        await using var next = new NpgsqlCommand($"select nextval('{_sequence}')", connection);
        return (long)(await next.ExecuteScalarAsync(cancellation))!;
    }

    public ValueTask DisposeAsync()
    {
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
