using Npgsql;

namespace ChargeLink.Gateway.Durable;

/// <summary>What identifies a StartTransaction whatever its message id: the same one resent is the same
/// transaction.</summary>
public sealed record TransactionKey(
    string ChargePointId,
    int ConnectorId,
    string IdTag,
    long MeterStartWh,
    DateTimeOffset StartedAt
);

/// <summary>A transaction as the ledger holds it: its id, and whether the rest of ChargeLink has been told of
/// it.</summary>
public sealed record RecordedTransaction(int TransactionId, bool Repeat, bool Published);

/// <summary>
/// Every transaction the gateway answered, keyed by what the StartTransaction said (station, connector, idTag,
/// meterStart, timestamp). A station that missed the answer resends the same StartTransaction, possibly after a
/// reboot, under a new message id, or to another gateway instance or a restarted one: it gets the first answer's
/// transaction id, so its StopTransaction names the transaction the group knows. Kept for 30 days: a station
/// offline longer than that has bigger problems than a resend. The idTag is kept as its UTF-8 bytes: a station's
/// RFID tag may hold characters (NUL) that PostgreSQL text cannot.
/// </summary>
public sealed class TransactionLedger(GatewayDatabase database, TransactionIds ids)
{
    private static readonly TimeSpan Kept = TimeSpan.FromDays(30);
    private long _recorded;

    public async Task<RecordedTransaction> Record(TransactionKey key, CancellationToken cancellation)
    {
        var candidate = await ids.Next(cancellation);
        await using var connection = await database.Open(cancellation);
        // Insert, or find the one recorded before: one statement, one round trip. A row inserted by a concurrent
        // resend is not in this statement's snapshot, so an empty answer is asked once more.
        for (var attempt = 0; ; attempt++)
        {
            await using var command = new NpgsqlCommand(
                $"""
                with inserted as (
                    insert into {database.Schema}.chargelink_station_transactions (charge_point_id, connector_id,
                    id_tag, meter_start, started_at, transaction_id)
                    values ($1, $2, $3, $4, $5, $6) on conflict do nothing returning transaction_id, published)
                select transaction_id, false, published from inserted
                union all
                select transaction_id, true, published from {database.Schema}.chargelink_station_transactions
                where charge_point_id = $1 and connector_id = $2 and id_tag = $3 and meter_start = $4 and started_at =
                $5
                limit 1
                """,
                connection
            )
            {
                Parameters =
                {
                    new() { Value = key.ChargePointId },
                    new() { Value = key.ConnectorId },
                    new() { Value = System.Text.Encoding.UTF8.GetBytes(key.IdTag) },
                    new() { Value = key.MeterStartWh },
                    new() { Value = key.StartedAt.ToUniversalTime() },
                    new() { Value = candidate },
                },
            };
            await using (var reader = await command.ExecuteReaderAsync(cancellation))
            {
                if (await reader.ReadAsync(cancellation))
                    return new RecordedTransaction(reader.GetInt32(0), reader.GetBoolean(1), reader.GetBoolean(2));
            }
            if (attempt == 1)
                throw new InvalidOperationException($"transaction of {key} neither inserted nor found");
        }
    }

    /// <summary>The rest of ChargeLink knows of it: a later resend is answered and not published again.</summary>
    public async Task MarkPublished(TransactionKey key, CancellationToken cancellation)
    {
        await using var connection = await database.Open(cancellation);
        await using var command = new NpgsqlCommand(
            $"""
            update {database.Schema}.chargelink_station_transactions set published = true
            where charge_point_id = $1 and connector_id = $2 and id_tag = $3 and meter_start = $4 and started_at = $5
            """,
            connection
        )
        {
            Parameters =
            {
                new() { Value = key.ChargePointId },
                new() { Value = key.ConnectorId },
                new() { Value = System.Text.Encoding.UTF8.GetBytes(key.IdTag) },
                new() { Value = key.MeterStartWh },
                new() { Value = key.StartedAt.ToUniversalTime() },
            },
        };
        await command.ExecuteNonQueryAsync(cancellation);
        // Now and then, forget transactions older than any station would still resend.
        if (Interlocked.Increment(ref _recorded) % TransactionIds.BlockSize == 0)
        {
            await using var prune = new NpgsqlCommand(
                $"delete from {database.Schema}.chargelink_station_transactions where recorded_at "
                    + $"< now() - make_interval(days => {Kept.Days})",
                connection
            );
            await prune.ExecuteNonQueryAsync(cancellation);
        }
    }

    /// <summary>The transaction id the ledger holds for <paramref name="key"/>, without recording one; null if
    /// none.</summary>
    public async Task<int?> Find(TransactionKey key, CancellationToken cancellation)
    {
        await using var connection = await database.Open(cancellation);
        await using var command = new NpgsqlCommand(
            $"""
            select transaction_id from {database.Schema}.chargelink_station_transactions
            where charge_point_id = $1 and connector_id = $2 and id_tag = $3 and meter_start = $4 and started_at = $5
            """,
            connection
        )
        {
            Parameters =
            {
                new() { Value = key.ChargePointId },
                new() { Value = key.ConnectorId },
                new() { Value = System.Text.Encoding.UTF8.GetBytes(key.IdTag) },
                new() { Value = key.MeterStartWh },
                new() { Value = key.StartedAt.ToUniversalTime() },
            },
        };
        return await command.ExecuteScalarAsync(cancellation) is int id ? id : null;
    }

    /// <summary>What a transaction was recorded under (the idTag column), by its id on a station; null if
    /// unknown.</summary>
    public async Task<string?> RecordedIdTag(string chargePointId, int transactionId, CancellationToken cancellation)
    {
        await using var connection = await database.Open(cancellation);
        await using var command = new NpgsqlCommand(
            $"select id_tag from {database.Schema}.chargelink_station_transactions where "
                + "charge_point_id = $1 and transaction_id = $2 limit 1",
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
}
