using Npgsql;

namespace ChargeLink.Gateway.Durable;

/// <summary>
/// OCPP transaction ids (32-bit integers), unique across every gateway instance and restart: blocks of
/// <see cref="BlockSize"/> are taken from one PostgreSQL sequence, so a new id costs a database round trip only once
/// per block. Ids left in a block when an instance stops are simply never used.
/// </summary>
public sealed class TransactionIds(GatewayDatabase database) : IDisposable
{
    public const int BlockSize = 100;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _next;
    private long _end;

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

    // Increment by a block: nextval hands each instance the first id of a block of its own.
    private async Task<long> TakeBlock(CancellationToken cancellation)
    {
        await using var connection = await database.Open(cancellation);
        await using var next = new NpgsqlCommand(
            $"select nextval('{database.Schema}.chargelink_transaction_ids')",
            connection
        );
        return (long)(await next.ExecuteScalarAsync(cancellation))!;
    }

    public void Dispose() => _gate.Dispose();
}
