using Npgsql;

namespace ChargeLink.Gateway.Durable;

/// <summary>A transaction as the ledger holds it: its id, and whether the rest of ChargeLink has been told of
/// it.</summary>
public sealed record RecordedTransaction(int TransactionId, bool Repeat, bool Published);

/// <summary>A transaction found in the ledger: its id, the connector (2.x: the EVSE) it runs on, and whether the rest
/// of ChargeLink has been told of it (as far as the marks written so far say).</summary>
public sealed record KnownTransaction(int TransactionId, int ConnectorId, bool Published);

/// <summary>
/// Every transaction the gateway answered, under its version's key (<see cref="TransactionKey"/>). A station that
/// missed the answer tells the same start again, possibly after a reboot, under a new message id, or to another gateway
/// instance or a restarted one: it gets the first answer's transaction id, so what it says later names the transaction
/// the group knows. Kept for 30 days: a station offline longer than that has bigger problems than a resend.
/// </summary>
public sealed class TransactionLedger(GatewayDatabase database, TransactionIds ids)
{
    private static readonly TimeSpan Kept = TimeSpan.FromDays(30);
    private readonly ConcurrentQueue<TransactionKey> _published = new();
    private long _marked;

    /// <summary>Records a new transaction on <paramref name="connectorId"/> (2.x: the EVSE), or finds the one recorded
    /// under the same key before.</summary>
    public async Task<RecordedTransaction> Record(TransactionKey key, int connectorId, CancellationToken cancellation)
    {
        var candidate = await ids.Next(cancellation);
        var columns = key.KeyColumns;
        var (table, where) = (Table(key), Where(key));
        var extra = key is StationTransactionKey ? ", evse_id" : "";
        var extraValue = key is StationTransactionKey ? $", ${columns.Count + 2}" : "";
        var values = string.Join(", ", columns.Select((_, i) => $"${i + 1}"));
        await using var connection = await database.Open(cancellation);
        // Insert, or find the one recorded before: one statement, one round trip. A row inserted by a concurrent
        // resend is not in this statement's snapshot, so an empty answer is asked once more.
        for (var attempt = 0; ; attempt++)
        {
            await using var command = new NpgsqlCommand(
                $"""
                with inserted as (
                    insert into {table} ({string.Join(", ", columns)}, transaction_id{extra})
                    values ({values}, ${columns.Count + 1}{extraValue}) on conflict do nothing
                    returning transaction_id, published)
                select transaction_id, false, published from inserted
                union all
                select transaction_id, true, published from {table} where {where}
                limit 1
                """,
                connection
            );
            AddKey(command, key);
            command.Parameters.Add(new NpgsqlParameter { Value = candidate });
            if (key is StationTransactionKey)
                command.Parameters.Add(new NpgsqlParameter { Value = connectorId });
            await using (var reader = await command.ExecuteReaderAsync(cancellation))
            {
                if (await reader.ReadAsync(cancellation))
                    return new RecordedTransaction(reader.GetInt32(0), reader.GetBoolean(1), reader.GetBoolean(2));
            }
            if (attempt == 1)
                throw new InvalidOperationException($"transaction of {key} neither inserted nor found");
        }
    }

    /// <summary>
    /// The rest of ChargeLink knows of it: a later resend is answered and not published again. Noted here and written
    /// with the other marks of the moment by <see cref="FlushPublished"/> (<see cref="PublishedMarks"/>), not in a
    /// round trip and commit of its own: a mark that is lost (a crash before the flush) or not yet written only lets a
    /// resend publish the start once more, which the group takes for the repeat it is, as after a crash between the
    /// publish and the mark.
    /// </summary>
    public void MarkPublished(TransactionKey key) => _published.Enqueue(key);

    /// <summary>How many marks wait for <see cref="FlushPublished"/>.</summary>
    public int PublishedPending => _published.Count;

    /// <summary>Writes the marks noted so far: one statement per table, one round trip. Marks it could not write are
    /// noted again for the next flush.</summary>
    public async Task FlushPublished(CancellationToken cancellation)
    {
        var keys = new List<TransactionKey>();
        while (_published.TryDequeue(out var key))
            keys.Add(key);
        if (keys.Count == 0)
            return;
        try
        {
            await using var connection = await database.Open(cancellation);
            await using var batch = new NpgsqlBatch(connection);
            foreach (var kind in keys.GroupBy(k => k.Table))
                batch.BatchCommands.Add(MarkCommand(kind.ToList()));
            // Now and then, forget transactions older than any station would still resend.
            var before = Interlocked.Add(ref _marked, keys.Count) - keys.Count;
            if (before / TransactionIds.BlockSize != (before + keys.Count) / TransactionIds.BlockSize)
            {
                foreach (var table in new[] { StartTransactionKey.TableName, StationTransactionKey.TableName })
                    batch.BatchCommands.Add(
                        new NpgsqlBatchCommand(
                            $"delete from {database.Schema}.{table} "
                                + $"where recorded_at < now() - make_interval(days => {Kept.Days})"
                        )
                    );
            }
            await batch.ExecuteNonQueryAsync(cancellation);
        }
        catch
        {
            foreach (var key in keys)
                _published.Enqueue(key);
            throw;
        }
    }

    // update ... from unnest(one array per key column): the keys of one table in one statement.
    private NpgsqlBatchCommand MarkCommand(IReadOnlyList<TransactionKey> keys)
    {
        var columns = keys[0].KeyColumns;
        var values = keys.Select(k => k.KeyValues()).ToList();
        var command = new NpgsqlBatchCommand(
            $"update {Table(keys[0])} t set published = true from unnest("
                + string.Join(", ", columns.Select((_, i) => $"${i + 1}"))
                + $") as k({string.Join(", ", columns)}) where "
                + string.Join(" and ", columns.Select(c => $"t.{c} = k.{c}"))
        );
        for (var i = 0; i < columns.Count; i++)
        {
            var column = Array.CreateInstance(values[0][i].GetType(), values.Count);
            for (var row = 0; row < values.Count; row++)
                column.SetValue(values[row][i], row);
            command.Parameters.Add(new NpgsqlParameter { Value = column });
        }
        return command;
    }

    /// <summary>The transaction the ledger holds for <paramref name="key"/>, without recording one; null if
    /// none.</summary>
    public async Task<KnownTransaction?> Find(TransactionKey key, CancellationToken cancellation)
    {
        await using var connection = await database.Open(cancellation);
        await using var command = new NpgsqlCommand(
            $"select transaction_id, {key.ConnectorColumn}, published from {Table(key)} where {Where(key)}",
            connection
        );
        AddKey(command, key);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        return await reader.ReadAsync(cancellation)
            ? new KnownTransaction(reader.GetInt32(0), reader.GetInt32(1), reader.GetBoolean(2))
            : null;
    }

    /// <summary>A 2.x transaction's id on its station, by ChargeLink's id for it; null if unknown.</summary>
    public async Task<string?> StationTransactionId(
        string chargePointId,
        int transactionId,
        CancellationToken cancellation
    )
    {
        await using var connection = await database.Open(cancellation);
        await using var command = new NpgsqlCommand(
            $"select station_transaction_id from {database.Schema}.{StationTransactionKey.TableName} "
                + "where charge_point_id = $1 and transaction_id = $2 limit 1",
            connection
        )
        {
            Parameters =
            {
                new() { Value = chargePointId },
                new() { Value = transactionId },
            },
        };
        return await command.ExecuteScalarAsync(cancellation) is byte[] bytes
            ? System.Text.Encoding.UTF8.GetString(bytes)
            : null;
    }

    private string Table(TransactionKey key) => $"{database.Schema}.{key.Table}";

    private static string Where(TransactionKey key) =>
        string.Join(" and ", key.KeyColumns.Select((column, i) => $"{column} = ${i + 1}"));

    private static void AddKey(NpgsqlCommand command, TransactionKey key)
    {
        foreach (var value in key.KeyValues())
            command.Parameters.Add(new NpgsqlParameter { Value = value });
    }
}
