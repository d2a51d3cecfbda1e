using ChargeLink.Gateway.Durable;
using Npgsql;
using NUnit.Framework;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// 2.x transactions have their own key and table. A gateway of the previous release kept them in the 1.6 table, under
/// the idTag "tx:" + the station's id with meterStart 0 at the epoch; the first gateway of this release moves them.
/// </summary>
public sealed class TransactionLedgerUpgradeTests
{
    [Test]
    public async Task A_2x_transaction_the_previous_release_recorded_is_found_by_its_station_id_after_the_upgrade()
    {
        var schema = $"ledger_upgrade_{Guid.NewGuid():N}"[..30];
        await using (var connection = new NpgsqlConnection(RealServices.Postgres))
        {
            await connection.OpenAsync();
            // The previous release's table, as it created it, with one 2.x and one 1.6 transaction.
            await using var old = new NpgsqlCommand(
                $"""
                create schema "{schema}";
                create table "{schema}".chargelink_station_transactions (
                    charge_point_id text not null, connector_id integer not null, id_tag bytea not null,
                    meter_start bigint not null, started_at timestamptz not null, transaction_id integer not null,
                    published boolean not null default false, recorded_at timestamptz not null default now(),
                    primary key (charge_point_id, connector_id, id_tag, meter_start, started_at));
                insert into "{schema}".chargelink_station_transactions
                    (charge_point_id, connector_id, id_tag, meter_start, started_at, transaction_id, published)
                values ('CP-2X', 2, convert_to('tx:station-tx-7', 'UTF8'), 0, 'epoch', 41, true),
                       ('CP-16', 1, convert_to('RFID-1', 'UTF8'), 1000, '2026-12-01T10:00:00Z', 42, true);
                """,
                connection
            );
            await old.ExecuteNonQueryAsync();
        }

        try
        {
            await Upgraded(schema);
        }
        finally
        {
            await RealServices.DropSchema(schema);
        }
    }

    private static async Task Upgraded(string schema)
    {
        await using var database = new GatewayDatabase(RealServices.GatewaySettingsIn(schema));
        var ledger = new TransactionLedger(database, new TransactionIds(database));

        Assert.That(await ledger.Find(new StationTransactionKey("CP-2X", "station-tx-7"), CancellationToken.None), Is.EqualTo(new KnownTransaction(41, ConnectorId: 2, Published: true)), "moved with its EVSE");
        Assert.That(await ledger.StationTransactionId("CP-2X", 41, CancellationToken.None), Is.EqualTo("station-tx-7"));
        var again = await ledger.Record(new StationTransactionKey("CP-2X", "station-tx-7"), 2, CancellationToken.None);
        Assert.That(again, Is.EqualTo(new RecordedTransaction(41, Repeat: true, Published: true)), "a resend after the upgrade is the same transaction");
        var sixteen = new StartTransactionKey("CP-16", 1, "RFID-1", 1000, DateTimeOffset.Parse("2026-12-01T10:00:00Z"));
        Assert.That(await ledger.Find(sixteen, CancellationToken.None), Is.EqualTo(new KnownTransaction(42, ConnectorId: 1, Published: true)), "a 1.6 transaction stays where it was");
        Assert.That(await ledger.Find(new StationTransactionKey("CP-2X", "station-tx-8"), CancellationToken.None), Is.Null);
        Assert.That(await ledger.StationTransactionId("CP-16", 42, CancellationToken.None), Is.Null, "a 1.6 transaction has no station id");
    }
}
