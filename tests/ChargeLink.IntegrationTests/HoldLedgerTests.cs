using ChargeLink.Domain.Groups;
using ChargeLink.PaymentAdapter.Holds;
using Npgsql;
using NUnit.Framework;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The payment adapter's record of each authorization (<see cref="HoldLedger"/>), written and read back in one round
/// trip: the first record of a payment wins, whoever records it again (a redelivery, another instance at the same
/// moment) gets that one back, settlement included; and the one instruction per payment, which a claim writes only
/// while the record is unsettled.
/// </summary>
public sealed class HoldLedgerTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-07T18:00:00Z");
    private string _schema = "";

    [SetUp]
    public void Schema() => _schema = $"holds_{Guid.NewGuid():N}"[..30];

    [TearDown]
    public Task Drop() => RealServices.DropSchema(_schema);

    [Test]
    public async Task The_first_record_of_a_payment_wins_and_a_later_one_gets_it_back()
    {
        await using var ledger = new HoldLedger(RealServices.SettingsIn(_schema, "payment-adapter"));

        var first = await ledger.Record("pay-1", "group-a", "T-1", new Money(2500, "EUR"), At, CancellationToken.None);
        var again = await ledger.Record("pay-1", "group-b", "T-2", new Money(9900, "USD"), At, CancellationToken.None);

        var expected = new PaymentHold("group-a", 2500, "EUR", null);
        Assert.That(first, Is.EqualTo(expected));
        Assert.That(again, Is.EqualTo(expected), "a second record of the payment changes nothing and gets the first");
        Assert.That(await Stored("pay-1"), Is.EqualTo(("group-a", 2500L, "EUR")));
    }

    [Test]
    public async Task A_record_after_the_settlement_gets_the_settlement_back()
    {
        await using var ledger = new HoldLedger(RealServices.SettingsIn(_schema, "payment-adapter"));
        await ledger.Record("pay-2", "group-a", "T-1", new Money(2500, "EUR"), At, CancellationToken.None);
        var capture = Settlement.Capture("group-a", 1200, "EUR", 4000);
        Assert.That(await ledger.Claim("pay-2", capture, CancellationToken.None), Is.Null);

        var again = await ledger.Record("pay-2", "group-a", "T-1", new Money(2500, "EUR"), At, CancellationToken.None);

        Assert.That(again, Is.EqualTo(new PaymentHold("group-a", 2500, "EUR", capture)));
    }

    [Test]
    public async Task Records_of_one_payment_at_the_same_moment_all_get_the_one_that_won()
    {
        // Each on a ledger of its own, as instances of the adapter are.
        var ledgers = Enumerable.Range(0, 8)
            .Select(_ => new HoldLedger(RealServices.SettingsIn(_schema, "payment-adapter")))
            .ToList();
        try
        {
            // The table exists before the race: its creation is not what is raced.
            await ledgers[0].Record("warm-up", "group-a", "T-0", new Money(1, "EUR"), At, CancellationToken.None);
            var records = await Task.WhenAll(ledgers.Select((ledger, i) =>
                ledger.Record("pay-3", $"group-{i}", $"T-{i}", new Money(100 * (i + 1), "EUR"), At, CancellationToken.None)));

            var (group, held, currency) = await Stored("pay-3");
            var winner = new PaymentHold(group, held, currency, null);
            Assert.That(records, Has.All.EqualTo(winner));
        }
        finally
        {
            foreach (var ledger in ledgers)
                await ledger.DisposeAsync();
        }
    }

    [Test]
    public async Task A_record_that_waited_for_another_instances_gets_that_one_once_it_commits()
    {
        await using var ledger = new HoldLedger(RealServices.SettingsIn(_schema, "payment-adapter"));
        await ledger.Record("warm-up", "group-a", "T-0", new Money(1, "EUR"), At, CancellationToken.None);
        // Another instance's record of the payment, not yet committed: the ledger's insert waits on it, and its
        // statement began before that record existed.
        await using var other = new NpgsqlConnection(RealServices.Postgres);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            $"insert into \"{_schema}\".chargelink_payment_holds (payment_id, group_id, terminal_id, held_minor, currency, "
                + "authorized_at) values ('pay-4', 'group-other', 'T-9', 700, 'EUR', now())", other, transaction))
            await insert.ExecuteNonQueryAsync();

        var record = ledger.Record("pay-4", "group-a", "T-1", new Money(2500, "EUR"), At, CancellationToken.None);
        await WaitingOnALock();
        await transaction.CommitAsync();

        Assert.That(await record, Is.EqualTo(new PaymentHold("group-other", 700, "EUR", null)));
    }

    [TestCase("Void", ExpectedResult = MoneyCheck.Refusal.AlreadySettled)]
    [TestCase("Capture", ExpectedResult = null)]
    public async Task<string?> A_claim_that_another_instance_settles_first_is_checked_against_that_settlement(
        string otherKind)
    {
        await using var ledger = new HoldLedger(RealServices.SettingsIn(_schema, "payment-adapter"));
        await ledger.Record("pay-5", "group-a", "T-1", new Money(2500, "EUR"), At, CancellationToken.None);
        var capture = Settlement.Capture("group-a", 1200, "EUR", 4000);
        var other = otherKind == "Void" ? Settlement.Void("group-a") : capture;
        // Another instance holds the record while it settles it: the ledger's claim has read it unsettled and waits to
        // write.
        await using var connection = new NpgsqlConnection(RealServices.Postgres);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var table = $"\"{_schema}\".chargelink_payment_holds";
        await using (var hold = new NpgsqlCommand($"select 1 from {table} where payment_id = 'pay-5' for update", connection, transaction))
            await hold.ExecuteNonQueryAsync();

        var claim = ledger.Claim("pay-5", capture, CancellationToken.None);
        await WaitingOnALock();
        await using (var settle = new NpgsqlCommand(
            $"update {table} set settled_kind = $1, settled_minor = $2, settled_currency = $3, settled_energy_wh = $4 "
                + "where payment_id = 'pay-5'", connection, transaction))
        {
            settle.Parameters.Add(new() { Value = other.Kind.ToString() });
            settle.Parameters.Add(new() { Value = other.AmountMinor });
            settle.Parameters.Add(new() { Value = other.Currency });
            settle.Parameters.Add(new() { Value = other.EnergyWh });
            await settle.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();

        var refusal = await claim;
        // Whatever the claim answered, the record keeps the other instance's settlement: one instruction per payment.
        var again = await ledger.Record("pay-5", "group-a", "T-1", new Money(2500, "EUR"), At, CancellationToken.None);
        Assert.That(again.Settled, Is.EqualTo(other));
        return refusal;
    }

    // Until a backend of the test's database waits for a lock (the ledger's insert on the uncommitted row).
    private static async Task WaitingOnALock()
    {
        await using var connection = new NpgsqlConnection(RealServices.Postgres);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            await using var waiting = new NpgsqlCommand(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
                connection);
            if ((long)(await waiting.ExecuteScalarAsync())! > 0)
                return;
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the ledger's record never waited on the other one");
            await Task.Delay(10);
        }
    }

    // What the table holds, read past the ledger.
    private async Task<(string Group, long Held, string Currency)> Stored(string paymentId)
    {
        await using var connection = new NpgsqlConnection(RealServices.Postgres);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand(
            $"select group_id, held_minor, currency from \"{_schema}\".chargelink_payment_holds where payment_id = $1",
            connection);
        select.Parameters.Add(new() { Value = paymentId });
        await using var reader = await select.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True, $"{paymentId} is recorded");
        return (reader.GetString(0), reader.GetInt64(1), reader.GetString(2));
    }
}
