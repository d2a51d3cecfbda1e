using Npgsql;

namespace ChargeLink.Gateway.Durable;

/// <summary>
/// What the gateway must not forget when its process dies, in PostgreSQL next to the orchestrator's event store:
/// the transaction id sequence, each transaction it answered (so a resent StartTransaction gets the same id), and
/// each command it acted on (so a republished command is not sent to a station twice), and which stations it serves
/// (for the operator's console). Created on first use.
/// </summary>
public sealed class GatewayDatabase(ChargeLinkSettings settings) : IAsyncDisposable
{
    private readonly SemaphoreSlim _creating = new(1, 1);
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(settings.Postgres);
    private volatile bool _created;

    public string Schema { get; } = $"\"{settings.PostgresSchema}\"";

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
            // Several gateways may start at once: the advisory lock keeps their "create if not exists" from colliding.
            await using var create = new NpgsqlCommand(
                $"""
                select pg_advisory_xact_lock(hashtext('chargelink-gateway-schema'));
                create schema if not exists {Schema};
                create sequence if not exists {Schema}.chargelink_transaction_ids as integer increment by
                {TransactionIds.BlockSize} minvalue 1 start with 1;
                create table if not exists {Schema}.chargelink_station_transactions (
                    charge_point_id text not null,
                    connector_id integer not null,
                    id_tag bytea not null,
                    meter_start bigint not null,
                    started_at timestamptz not null,
                    transaction_id integer not null,
                    published boolean not null default false,
                    recorded_at timestamptz not null default now(),
                    primary key (charge_point_id, connector_id, id_tag, meter_start, started_at));
                create table if not exists {Schema}.chargelink_station_commands (
                    message_id uuid primary key,
                    charge_point_id text not null,
                    id_tag text,
                    claimed_at timestamptz not null default now());
                create index if not exists chargelink_station_commands_tags on {Schema}.chargelink_station_commands
                (charge_point_id, id_tag);
                create table if not exists {Schema}.{StationPresenceTable.Name} (
                    charge_point_id text primary key,
                    group_id text not null,
                    subprotocol text not null,
                    connected boolean not null,
                    since timestamptz not null,
                    seen_at timestamptz not null,
                    gateway text not null);
                """,
                connection
            );
            await using (var transaction = await connection.BeginTransactionAsync(cancellation))
            {
                create.Transaction = transaction;
                await create.ExecuteNonQueryAsync(cancellation);
                await transaction.CommitAsync(cancellation);
            }
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
