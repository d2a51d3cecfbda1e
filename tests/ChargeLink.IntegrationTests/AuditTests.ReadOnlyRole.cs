using ChargeLink.Contracts;
using Npgsql;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The auditors' PostgreSQL role (infra/postgres-auditor.sql, created by infra/up.sh) on the schema this fixture's
/// real run wrote: it reads, and every write it tries is refused by PostgreSQL.
/// </summary>
public sealed partial class AuditTests
{
    private static string AuditorRole => new NpgsqlConnectionStringBuilder(RealServices.AuditorPostgres).Username!;

    [Test]
    public async Task The_auditor_role_reads_the_event_log_but_PostgreSQL_refuses_every_write_it_tries()
    {
        await Session();
        var stream = GroupCorrelation.IdOf(Deployment.GroupIdOf(Story));
        await using var auditor = await Auditor();
        Assert.That(await Scalar(auditor, $"select count(*) from {Events} where stream_id = $1", stream), Is.GreaterThanOrEqualTo(8L), "it reads the story's events");

        // Two locks, each asserted on its own. First the role's default: every transaction starts read-only (25006)...
        var update = $"update {Events} set data = jsonb_set(data, '{{AmountMinor}}', '1') where stream_id = $1";
        Assert.That(await Refusal(auditor, update, stream), Is.EqualTo(PostgresErrorCodes.ReadOnlySqlTransaction));

        // ...which the role may switch off in its own session, so what really refuses is the grants: 42501 for each.
        await Execute(auditor, "set default_transaction_read_only = off");
        var writes = new[]
        {
            update,
            $"insert into {Events} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived, headers) " +
            $"select seq_id + 1000000, gen_random_uuid(), stream_id, version + 1000, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived, headers from {Events} where stream_id = $1",
            $"delete from {Events} where stream_id = $1",
            $"truncate {Events}",
            $"update \"{Deployment.Schema}\".mt_streams set version = version + 1 where id = $1",
            $"update \"{Deployment.Schema}\".mt_doc_payment_record set data = jsonb_set(data, '{{CapturedMinor}}', '1') where data ->> 'StreamId' = $1::text",
            $"create table \"{Deployment.Schema}\".auditor_was_here (id int)",
            "create schema auditor_was_here",
        };
        foreach (var write in writes)
            Assert.That(await Refusal(auditor, write, stream), Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege), write);

        var (code, output) = await Audit("verify", "--group", Deployment.GroupIdOf(Story));
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("every hash link holds"), "nothing was changed");
    }

    [Test]
    public async Task The_auditor_role_owns_nothing_may_only_select_and_is_read_only_by_default()
    {
        await Session();
        await using var owner = new NpgsqlConnection(RealServices.Postgres);
        await owner.OpenAsync();
        await using var role = new NpgsqlCommand(
            "select rolsuper or rolcreaterole or rolcreatedb or rolreplication or rolbypassrls, rolconfig from pg_roles where rolname = $1", owner)
        { Parameters = { new NpgsqlParameter { Value = AuditorRole } } };
        await using (var reader = await role.ExecuteReaderAsync())
        {
            Assert.That(await reader.ReadAsync(), Is.True, $"role {AuditorRole} exists: infra/up.sh creates it");
            Assert.That(reader.GetBoolean(0), Is.False, "no attribute beyond LOGIN");
            Assert.That(reader.IsDBNull(1) ? [] : reader.GetFieldValue<string[]>(1), Does.Contain("default_transaction_read_only=on"));
        }

        var owned = "select (select count(*) from pg_class where relowner = r.oid) + (select count(*) from pg_namespace where nspowner = r.oid) " +
                    "+ (select count(*) from pg_proc where proowner = r.oid) + (select count(*) from pg_database where datdba = r.oid) from pg_roles r where rolname = $1";
        Assert.That(await Scalar(owner, owned, AuditorRole), Is.Zero, "it owns nothing");

        // Every table the run created in its schema (Marten's, the gateway's), through ALTER DEFAULT PRIVILEGES alone:
        // the schema did not exist when infra/up.sh ran.
        var privileges = "select c.relname, has_table_privilege($1, c.oid, 'SELECT'), " +
                         "has_table_privilege($1, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') " +
                         "from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $2 and c.relkind in ('r', 'p', 'v', 'm')";
        await using var tables = new NpgsqlCommand(privileges, owner) { Parameters = { new() { Value = AuditorRole }, new() { Value = Deployment.Schema } } };
        var found = new List<(string Table, bool Select, bool Write)>();
        await using (var reader = await tables.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                found.Add((reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2)));
        }
        Assert.That(found.Select(t => t.Table), Is.SupersetOf(new[] { "mt_events", "mt_streams", "mt_doc_group_summary", "mt_doc_payment_record" }));
        // The one exception: the idTag key. Whoever reads it can compute a payment's idTag and start charging on it.
        Assert.That(found.Where(t => t.Table != "chargelink_keys" && (!t.Select || t.Write)), Is.Empty, "SELECT on every table, nothing more");
        Assert.That(found.Where(t => t.Table == "chargelink_keys"), Is.EqualTo(new[] { ("chargelink_keys", false, false) }),
            "the idTag key exists and the auditors may neither read nor write it");
        await using var schema = new NpgsqlCommand("select has_schema_privilege($1, $2, 'USAGE'), has_schema_privilege($1, $2, 'CREATE')", owner)
        { Parameters = { new() { Value = AuditorRole }, new() { Value = Deployment.Schema } } };
        await using (var reader = await schema.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            Assert.That((reader.GetBoolean(0), reader.GetBoolean(1)), Is.EqualTo((true, false)), "USAGE on the schema, no CREATE");
        }
    }

    [Test]
    public async Task A_role_given_with_postgres_is_used_instead_and_the_command_says_it_may_write()
    {
        await Session();
        var (code, output, error) = await Run("verify", "--group", Deployment.GroupIdOf(Story), "--postgres", RealServices.Postgres);
        var ownerRole = new NpgsqlConnectionStringBuilder(RealServices.Postgres).Username;
        Assert.That(code, Is.Zero, output + error);
        Assert.That(error, Does.Contain($"reading the event store as PostgreSQL role {ownerRole}, which may write to it (given with --postgres); this command only reads"));
    }

    // Its own physical connection: a pooled one would carry the session setting switched off above to the next test.
    private static async Task<NpgsqlConnection> Auditor()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(RealServices.AuditorPostgres) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch (PostgresException e)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException($"the auditors' role {AuditorRole} cannot log in ({e.SqlState}: {e.MessageText}): run infra/up.sh, which creates it, or set CHARGELINK_AUDITOR_POSTGRES", e);
        }
        return connection;
    }

    /// <summary>The SQL state PostgreSQL refuses the statement with; fails the test if it is carried out.</summary>
    private static async Task<string> Refusal(NpgsqlConnection connection, string sql, Guid stream)
    {
        try
        {
            await Execute(connection, sql, sql.Contains("$1::text", StringComparison.Ordinal) ? stream.ToString() : stream);
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
        Assert.Fail($"carried out through the auditors' role: {sql}");
        return "";
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, object? parameter = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null && sql.Contains("$1", StringComparison.Ordinal))
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> Scalar(NpgsqlConnection connection, string sql, object parameter)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter { Value = parameter } } };
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
