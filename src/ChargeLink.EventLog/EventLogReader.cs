using System.Runtime.CompilerServices;
using Npgsql;

namespace ChargeLink.EventLog;

/// <summary>
/// Reads the event log straight from Marten's tables, row by row: a million events never need a million in memory.
/// Read-only; it creates nothing.
/// </summary>
public sealed class EventLogReader(string connectionString, string schema) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _database = NpgsqlDataSource.Create(connectionString);
    private readonly string _schema = SqlNames.Quote(schema);

    /// <summary>
    /// Every event of one stream in version order, or of all streams in the order they were appended (seq_id): a
    /// stream's own events still come in version order, and reading in table order spares PostgreSQL a sort of the
    /// whole log.
    /// </summary>
    public async IAsyncEnumerable<StoredEvent> Read(
        Guid? stream = null,
        [EnumeratorCancellation] CancellationToken cancellation = default
    )
    {
        await using var command = _database.CreateCommand(
            "select seq_id, stream_id, version, type, timestamp, data::text, headers ->> "
                + $"'{EventChain.Header}' from {_schema}.mt_events "
                + (stream is null ? "order by seq_id" : "where stream_id = $1 order by version")
        );
        if (stream is { } id)
            command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(
            System.Data.CommandBehavior.SequentialAccess,
            cancellation
        );
        while (await reader.ReadAsync(cancellation))
        {
            yield return new StoredEvent(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)
            );
        }
    }

    /// <summary>How many events <see cref="Read"/> would return, for a progress bar.</summary>
    public async Task<long> Count(Guid? stream = null, CancellationToken cancellation = default)
    {
        await using var command = _database.CreateCommand(
            $"select count(*) from {_schema}.mt_events" + (stream is null ? "" : " where stream_id = $1")
        );
        if (stream is { } id)
            command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (long)(await command.ExecuteScalarAsync(cancellation))!;
    }

    /// <summary>The version each stream claims to be at (Marten's mt_streams), to notice events removed from a stream's
    /// end.</summary>
    public async Task<Dictionary<Guid, long>> StreamVersions(CancellationToken cancellation = default)
    {
        await using var command = _database.CreateCommand($"select id, version from {_schema}.mt_streams");
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var versions = new Dictionary<Guid, long>();
        while (await reader.ReadAsync(cancellation))
            versions[reader.GetGuid(0)] = reader.GetInt64(1);
        return versions;
    }

    /// <summary>The stream that holds a payment's events, if any.</summary>
    public async Task<Guid?> StreamOfPayment(string paymentId, CancellationToken cancellation = default)
    {
        await using var command = _database.CreateCommand(
            $"select stream_id from {_schema}.mt_events where data ->> 'PaymentId' = $1 order by seq_id limit 1"
        );
        command.Parameters.Add(new NpgsqlParameter { Value = paymentId });
        return await command.ExecuteScalarAsync(cancellation) as Guid?;
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
