using System.Text.Json.Nodes;
using ChargeLink.Cli.Simulators;
using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using Npgsql;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The auditor's commands on the event log the real services wrote, and the hash chain against edits made
/// directly in PostgreSQL with SQL, as someone with database access would make them.
/// </summary>
[TestFixture]
public sealed class AuditTests : SystemFixture
{
    // A group of its own for each tampering, so one test's damage never shows in another's stream.
    private const int Edited = 1, Deleted = 2, Inserted = 3;

    protected override int Groups => 4;

    [Test]
    public async Task An_event_edited_in_PostgreSQL_is_named_by_verify()
    {
        var stream = await ThreeEvents(Edited);
        Assert.That((await Audit("verify", "--group", Deployment.GroupIdOf(Edited))).Code, Is.Zero, "intact before the edit");

        await Sql($"update {Events} set data = jsonb_set(data, '{{AmountMinor}}', '1') where stream_id = $1 and version = 2", stream);

        var (code, output) = await Audit("verify", "--group", Deployment.GroupIdOf(Edited));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain($"FAILED group {Deployment.GroupIdOf(Edited)}").And.Contain("event 2 (payment_authorization_received_v1, seq").And.Contain("edited"));
    }

    [Test]
    public async Task An_event_deleted_in_PostgreSQL_is_named_by_verify()
    {
        var stream = await ThreeEvents(Deleted);
        await Sql($"delete from {Events} where stream_id = $1 and version = 2", stream);

        var (code, output) = await Audit("verify", "--group", Deployment.GroupIdOf(Deleted));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("version 2 is missing: deleted"));
    }

    [Test]
    public async Task An_event_inserted_in_PostgreSQL_is_named_by_verify()
    {
        var stream = await ThreeEvents(Inserted);
        // A forged fourth payment, with the last genuine event's link copied onto it.
        await Sql($$"""
            insert into {{Events}} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived, headers)
            select seq_id + 1000000, gen_random_uuid(), stream_id, 4, jsonb_set(data, '{PaymentId}', '"pay_forged"'), type, timestamp, tenant_id, mt_dotnet_type, is_archived, headers
            from {{Events}} where stream_id = $1 and version = 3
            """, stream);

        var (code, output) = await Audit("verify", "--group", Deployment.GroupIdOf(Inserted));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("event 4 (payment_authorization_received_v1, seq"));
    }

    private string Events => $"\"{Deployment.Schema}\".mt_events";

    // Three payments reach the group: its stream holds versions 1-3.
    private async Task<Guid> ThreeEvents(int group)
    {
        for (var i = 1; i <= 3; i++)
            await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization($"pay_{group}_{i}_{Deployment.RunId}", Deployment.TerminalIdOf(group)));
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(group))).Count >= 3, TimeSpan.FromSeconds(15), "three events in the stream");
        return GroupCorrelation.IdOf(Deployment.GroupIdOf(group));
    }

    private static async Task Sql(string sql, Guid stream)
    {
        await using var connection = new NpgsqlConnection(RealServices.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter { Value = stream } } };
        Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1), sql);
    }

    private async Task<(int Code, string Output)> Audit(params string[] args)
    {
        await using var output = new StringWriter();
        await using var error = new StringWriter();
        var code = await Cli.CliApp.Run(["audit", .. args, "--postgres", RealServices.Postgres, "--schema", Deployment.Schema, "--topology", Deployment.TopologyPath], output, error);
        TestContext.Out.WriteLine(output.ToString() + error);
        return (code, output.ToString() + error);
    }
}
