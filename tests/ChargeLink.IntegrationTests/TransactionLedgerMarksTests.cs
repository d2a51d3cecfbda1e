using ChargeLink.Gateway.Durable;
using Npgsql;
using NUnit.Framework;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// A transaction is marked published in batches (<see cref="PublishedMarks"/>): a resend of its start is published
/// again until the mark is written, and never after; a flush that fails keeps its marks for the next.
/// </summary>
public sealed class TransactionLedgerMarksTests
{
    private string _schema = "";

    [SetUp]
    public void Schema() => _schema = $"ledger_marks_{Guid.NewGuid():N}"[..30];

    [TearDown]
    public Task Drop() => RealServices.DropSchema(_schema);

    [Test]
    public async Task Marks_of_both_versions_are_written_by_one_flush_and_only_for_the_transactions_marked()
    {
        await using var database = new GatewayDatabase(RealServices.GatewaySettingsIn(_schema));
        var ledger = new TransactionLedger(database, new TransactionIds(database));
        var at = DateTimeOffset.Parse("2026-12-07T10:00:00+01:00");
        // 1.6 keys differ in one column each, so a join on fewer columns would mark the wrong one.
        var first = new StartTransactionKey("CP-1", 1, "TAG\0A", 1000, at);
        var otherConnector = first with { ConnectorId = 2 };
        var otherMeter = first with { MeterStartWh = 1001 };
        var v2 = new StationTransactionKey("CP-1", "tx-\u00e9-1");
        var v2Other = new StationTransactionKey("CP-1", "tx-\u00e9-2");
        foreach (var key in new TransactionKey[] { first, otherConnector, otherMeter, v2, v2Other })
            Assert.That((await ledger.Record(key, 1, CancellationToken.None)).Published, Is.False);

        ledger.MarkPublished(first);
        ledger.MarkPublished(v2);
        Assert.That((await ledger.Record(first, 1, CancellationToken.None)).Published, Is.False, "noted, not yet written");
        await ledger.FlushPublished(CancellationToken.None);

        Assert.That(ledger.PublishedPending, Is.Zero);
        var published = new Dictionary<string, bool>();
        foreach (var (name, key) in new (string, TransactionKey)[] { ("first", first), ("otherConnector", otherConnector), ("otherMeter", otherMeter), ("v2", v2), ("v2Other", v2Other) })
        {
            var again = await ledger.Record(key, 1, CancellationToken.None);
            Assert.That(again.Repeat, Is.True);
            published[name] = again.Published;
        }
        Assert.That(published, Is.EqualTo(new Dictionary<string, bool>
        {
            ["first"] = true,
            ["otherConnector"] = false,
            ["otherMeter"] = false,
            ["v2"] = true,
            ["v2Other"] = false,
        }));
    }

    [Test]
    public async Task A_flush_that_fails_keeps_its_marks_and_the_next_one_writes_them()
    {
        await using var database = new GatewayDatabase(RealServices.GatewaySettingsIn(_schema));
        var ledger = new TransactionLedger(database, new TransactionIds(database));
        var key = new StationTransactionKey("CP-2", "tx-kept");
        await ledger.Record(key, 1, CancellationToken.None);
        ledger.MarkPublished(key);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        Assert.That(async () => await ledger.FlushPublished(cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(ledger.PublishedPending, Is.EqualTo(1), "kept");

        await ledger.FlushPublished(CancellationToken.None);
        Assert.That((await ledger.Record(key, 1, CancellationToken.None)).Published, Is.True);
    }
}
