using ChargeLink.Domain.Groups;
using Npgsql;

namespace ChargeLink.PaymentAdapter.Holds;

/// <summary>
/// The adapter's own record of every authorization it passed on (payment, group, hold, currency) and of the one
/// instruction it signed for each, in PostgreSQL (table chargelink_payment_holds of the deployment's schema), so that
/// it checks every capture and void against what the payment cloud itself authorized (<see cref="MoneyCheck"/>), on any
/// instance and after any restart. Written before the authorization is passed on, so it exists before any instruction
/// can.
/// </summary>
/// <remarks>
/// Rows are kept 30 days past their authorization, far beyond anything that can still settle (the payment wait, the
/// session bound and its grace); an instruction for a payment forgotten so is refused as never authorized.
/// </remarks>
public sealed class HoldLedger(ChargeLinkSettings settings) : IAsyncDisposable
{
    private static readonly TimeSpan Kept = TimeSpan.FromDays(30);
    private readonly TablesOnFirstUse _tables = new(
        settings.Postgres,
        "chargelink-payment-adapter-schema",
        CreateSql($"\"{settings.PostgresSchema}\"")
    );
    private readonly string _table = $"\"{settings.PostgresSchema}\".chargelink_payment_holds";
    private long _recorded;

    /// <summary>
    /// Records the authorization, unless the payment is recorded already; returns what is recorded (the first one wins:
    /// a redelivery is the same payment, and one that differs from it is not).
    /// </summary>
    public async Task<PaymentHold> Record(
        string paymentId,
        string groupId,
        string terminalId,
        Money hold,
        DateTimeOffset authorizedAt,
        CancellationToken cancellation
    )
    {
        await using var connection = await Open(cancellation);
        if (Interlocked.Increment(ref _recorded) % 500 == 0)
        {
            await using var prune = new NpgsqlCommand(
                $"delete from {_table} where authorized_at < now() - make_interval(days => {Kept.Days})",
                connection
            );
            await prune.ExecuteNonQueryAsync(cancellation);
        }
        // One round trip: the row inserted, or else the one recorded before (in the statement's snapshot, which does
        // not see its own insert, hence both halves). A record committed by another instance while this statement
        // waited on its conflict is in neither: read again.
        await using var record = new NpgsqlCommand(
            $"with inserted as (insert into {_table} (payment_id, group_id, terminal_id, held_minor, currency, "
                + "authorized_at) values ($1, $2, $3, $4, $5, $6) on conflict (payment_id) do nothing "
                + $"returning {Columns}) select {Columns} from inserted union all select {Columns} from {_table} "
                + "where payment_id = $1 and not exists (select from inserted)",
            connection
        );
        record.Parameters.Add(new() { Value = paymentId });
        record.Parameters.Add(new() { Value = groupId });
        record.Parameters.Add(new() { Value = terminalId });
        record.Parameters.Add(new() { Value = hold.Minor });
        record.Parameters.Add(new() { Value = hold.Currency });
        record.Parameters.Add(new() { Value = authorizedAt.ToUniversalTime() });
        await using (var reader = await record.ExecuteReaderAsync(cancellation))
        {
            if (await Read(reader, cancellation) is { } recorded)
                return recorded;
        }
        return (await Find(connection, paymentId, cancellation))!;
    }

    /// <summary>
    /// Checks <paramref name="instruction"/> against the record and, when it may be signed, records it as the payment's
    /// one instruction. Returns null when it may be signed (a repeat of the recorded one may, again), else the refusal.
    /// </summary>
    public async Task<string?> Claim(string paymentId, Settlement instruction, CancellationToken cancellation)
    {
        await using var connection = await Open(cancellation);
        // Two round trips and no transaction: the record as it is, the check, then the instruction written only if the
        // record is still unsettled. One that another instance settled meanwhile (the update finds nothing to change)
        // is read and checked again, as a repeat, which it may be.
        while (true)
        {
            var hold = await Find(connection, paymentId, cancellation);
            var refusal = MoneyCheck.RefusalOf(hold, instruction);
            if (refusal is not null || hold!.Settled is not null)
                return refusal;
            await using var update = new NpgsqlCommand(
                $"update {_table} set settled_kind = $2, settled_minor = $3, settled_currency = "
                    + "$4, settled_energy_wh = $5, settled_at = now() where payment_id = $1 and settled_kind is null",
                connection
            );
            update.Parameters.Add(new() { Value = paymentId });
            update.Parameters.Add(new() { Value = instruction.Kind.ToString() });
            update.Parameters.Add(new() { Value = instruction.AmountMinor });
            update.Parameters.Add(new() { Value = instruction.Currency });
            update.Parameters.Add(new() { Value = instruction.EnergyWh });
            if (await update.ExecuteNonQueryAsync(cancellation) == 1)
                return null;
        }
    }

    private async Task<PaymentHold?> Find(NpgsqlConnection connection, string paymentId, CancellationToken cancellation)
    {
        await using var select = new NpgsqlCommand($"select {Columns} from {_table} where payment_id = $1", connection);
        select.Parameters.Add(new() { Value = paymentId });
        await using var reader = await select.ExecuteReaderAsync(cancellation);
        return await Read(reader, cancellation);
    }

    private const string Columns =
        "group_id, held_minor, currency, settled_kind, settled_minor, settled_currency, settled_energy_wh";

    private static async Task<PaymentHold?> Read(NpgsqlDataReader reader, CancellationToken cancellation)
    {
        if (!await reader.ReadAsync(cancellation))
            return null;
        var groupId = reader.GetString(0);
        var settled = reader.IsDBNull(3)
            ? null
            : new Settlement(
                groupId,
                Enum.Parse<SettlementKind>(reader.GetString(3)),
                reader.GetInt64(4),
                reader.GetString(5),
                reader.GetInt64(6)
            );
        return new PaymentHold(groupId, reader.GetInt64(1), reader.GetString(2), settled);
    }

    private Task<NpgsqlConnection> Open(CancellationToken cancellation) => _tables.Open(cancellation);

    private static string CreateSql(string schema) =>
        $"""
            create schema if not exists {schema};
            create table if not exists {schema}.chargelink_payment_holds (
                payment_id text primary key,
                group_id text not null,
                terminal_id text not null,
                held_minor bigint not null,
                currency text not null,
                authorized_at timestamptz not null,
                recorded_at timestamptz not null default now(),
                settled_kind text,
                settled_minor bigint,
                settled_currency text,
                settled_energy_wh bigint,
                settled_at timestamptz);
            """;

    public ValueTask DisposeAsync() => _tables.DisposeAsync();
}
