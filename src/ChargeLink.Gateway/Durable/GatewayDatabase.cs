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
    private readonly TablesOnFirstUse _tables = new(
        settings.Postgres,
        "chargelink-gateway-schema",
        CreateSql($"\"{settings.PostgresSchema}\"")
    );

    public string Schema { get; } = $"\"{settings.PostgresSchema}\"";

    public Task<NpgsqlConnection> Open(CancellationToken cancellation) => _tables.Open(cancellation);

    private static string CreateSql(string schema) =>
        $"""
            create schema if not exists {schema};
            create sequence if not exists {schema}.chargelink_transaction_ids as integer increment by
            {TransactionIds.BlockSize} minvalue 1 start with 1;
            create table if not exists {schema}.chargelink_station_transactions (
                charge_point_id text not null,
                connector_id integer not null,
                id_tag bytea not null,
                meter_start bigint not null,
                started_at timestamptz not null,
                transaction_id integer not null,
                published boolean not null default false,
                recorded_at timestamptz not null default now(),
                primary key (charge_point_id, connector_id, id_tag, meter_start, started_at));
            create table if not exists {schema}.chargelink_station_transactions_v2 (
                charge_point_id text not null,
                station_transaction_id bytea not null,
                evse_id integer not null,
                transaction_id integer not null,
                published boolean not null default false,
                recorded_at timestamptz not null default now(),
                primary key (charge_point_id, station_transaction_id));
            create index if not exists chargelink_station_transactions_v2_ids
                on {schema}.chargelink_station_transactions_v2 (charge_point_id, transaction_id);
            -- Until this release, 2.x transactions borrowed the 1.6 table: idTag 'tx:' + the station's id,
            -- meterStart 0, the epoch for a timestamp. They move to their own table once; a no-op after.
            with moved as (
                delete from {schema}.chargelink_station_transactions
                where substring(id_tag from 1 for 3) = 'tx:'::bytea and meter_start = 0 and started_at = 'epoch'
                returning charge_point_id, substring(id_tag from 4) as station_transaction_id,
                    connector_id, transaction_id, published, recorded_at)
            insert into {schema}.chargelink_station_transactions_v2
            select * from moved on conflict do nothing;
            create table if not exists {schema}.chargelink_station_commands (
                message_id uuid primary key,
                charge_point_id text not null,
                id_tag text,
                claimed_at timestamptz not null default now());
            -- The connector a start was asked for (a 2.x event after the first need not name its EVSE); null in rows
            -- claimed before this column.
            alter table {schema}.chargelink_station_commands add column if not exists connector_id integer;
            create index if not exists chargelink_station_commands_tags on {schema}.chargelink_station_commands
            (charge_point_id, id_tag);
            create table if not exists {schema}.{StationPresenceTable.Name} (
                charge_point_id text primary key,
                group_id text not null,
                subprotocol text not null,
                connected boolean not null,
                since timestamptz not null,
                seen_at timestamptz not null,
                gateway text not null);
            """;

    public ValueTask DisposeAsync() => _tables.DisposeAsync();
}
