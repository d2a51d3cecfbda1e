using ChargeLink.Contracts;
using ChargeLink.Domain.Topology;
using Npgsql;

namespace ChargeLink.Cli.Audit;

/// <summary>
/// The options every audit command shares: where the event log is, and the topology that names its streams. The log
/// is read as the auditors' read-only role unless --postgres says otherwise, and every session is read-only anyway.
/// </summary>
public sealed class AuditSource(CliConsole console)
{
    public Option<string?> Postgres { get; } = CliOptions.AuditorPostgres();
    public Option<string> Schema { get; } = CliOptions.Schema();
    public Option<FileInfo> Topology { get; } = CliOptions.Topology();

    public void AddTo(Command command)
    {
        command.Add(Postgres);
        command.Add(Schema);
        command.Add(Topology);
    }

    /// <summary>The command's action, after a line on stderr that says which PostgreSQL role reads and whether it could
    /// write.</summary>
    public void SetAction(Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(
            async (result, cancellation) =>
            {
                try
                {
                    await Announce(result, cancellation);
                    return await action(result, cancellation);
                }
                catch (PostgresException e) when (Refusal(e, result) is { } refusal)
                {
                    await console.Error.WriteLineAsync($"{refusal} ({e.SqlState}: {e.MessageText})");
                    return 2;
                }
            }
        );

    private string? Refusal(PostgresException e, ParseResult result) =>
        e.SqlState switch
        {
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
                $"PostgreSQL refused the login of role {RoleOf(result)}. The auditors' role comes "
                    + "from infra/up.sh (infra/postgres-auditor.sql); "
                    + "else set CHARGELINK_AUDITOR_POSTGRES or pass --postgres",
            PostgresErrorCodes.InsufficientPrivilege =>
                $"role {RoleOf(result)} may not read schema {result.GetValue(Schema)}: infra/up.sh "
                    + "(infra/postgres-auditor.sql) grants the auditors' role "
                    + "every schema of the services' role; a schema someone else created needs its own grant",
            PostgresErrorCodes.UndefinedTable =>
                $"schema {result.GetValue(Schema)} holds no event log (no mt_events): check "
                    + "--schema or CHARGELINK_POSTGRES_SCHEMA",
            _ => null,
        };

    public EventLogReader Reader(ParseResult result) => new(ReadOnly(result), result.GetValue(Schema)!);

    public StoredReadModels ReadModels(ParseResult result) => new(ReadOnly(result), result.GetValue(Schema)!);

    // Said from what the role may do, not from where its name came from: CHARGELINK_AUDITOR_POSTGRES can name any role.
    private async Task Announce(ParseResult result, CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(ReadOnly(result));
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(
            "select current_user, (select has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, "
                + "TRUNCATE') from pg_class c "
                + "join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = '"
                + StoredNames.Events
                + "')",
            connection
        )
        {
            Parameters = { new NpgsqlParameter { Value = result.GetValue(Schema)! } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        var role = reader.GetString(0);
        var given = !CliOptions.AuditorPostgresOf(result, Postgres).Auditors;
        await console.Error.WriteLineAsync(
            reader.IsDBNull(1) // no event log in this schema: the read says so next
                ? $"reading the event store as PostgreSQL role {role}"
            : !reader.GetBoolean(1) ? $"reading the event store as PostgreSQL role {role} (read-only)"
            : $"reading the event store as PostgreSQL role {role}, which may write to it "
                + $"({(given ? "given with --postgres" : "CHARGELINK_AUDITOR_POSTGRES, or its default")}); "
                + "this command only reads"
        );
    }

    // Every session an audit command opens is read-only whatever the role, so that no audit command can ever write; and
    // without TLS to a database on this machine unless the string asks for it (LoopbackTls).
    private string ReadOnly(ParseResult result)
    {
        var builder = LoopbackTls.Off(
            new NpgsqlConnectionStringBuilder(CliOptions.AuditorPostgresOf(result, Postgres).ConnectionString)
        );
        builder.Options = $"{builder.Options} -c default_transaction_read_only=on".TrimStart();
        return builder.ConnectionString;
    }

    private string RoleOf(ParseResult result) =>
        new NpgsqlConnectionStringBuilder(CliOptions.AuditorPostgresOf(result, Postgres).ConnectionString).Username
        ?? "(not named)";

    /// <summary>The topology file, when there is a valid one to read: it names streams and gives tariffs.</summary>
    public SiteTopology? SiteTopology(ParseResult result)
    {
        var file = result.GetValue(Topology);
        if (file is null || !file.Exists)
            return null;
        try
        {
            return TopologyFile.Parse(File.ReadAllText(file.FullName));
        }
        catch (TopologyException)
        {
            return null;
        }
    }

    /// <summary>Stream id -> group id, for the groups of the topology file.</summary>
    public Dictionary<Guid, string> GroupNames(ParseResult result) =>
        SiteTopology(result)?.Groups.ToDictionary(g => GroupCorrelation.IdOf(g.Id), g => g.Id) ?? [];
}
