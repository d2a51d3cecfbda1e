using System.Security.Cryptography;
using Npgsql;

namespace ChargeLink.EventLog;

/// <summary>
/// The deployment's secret that payments' idTags are keyed with (<see cref="Domain.Groups.IdTag.ForPayment"/>): 32
/// random bytes made by whoever needs them first and kept beside the event log (table chargelink_keys of the
/// deployment's schema), so that every orchestrator instance and every restart derives the same tag for a payment and
/// nobody outside ChargeLink can. Nothing to configure. Only the services' own role reads it: every other grant on the
/// table (the auditors' role gets SELECT on the owner's tables by default) is taken back here and by
/// infra/postgres-auditor.sql.
/// </summary>
public static class IdTagKeyTable
{
    private const string Name = "idtag";

    /// <summary>The key of the deployment whose schema is <paramref name="schema"/>, made if it has none yet.</summary>
    public static byte[] LoadOrCreate(string connectionString, string schema)
    {
        var table = $"{SqlNames.Quote(schema)}.chargelink_keys";
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        // "if not exists" is not safe against a concurrent creator (two services starting on a new schema: 42710, "type
        // chargelink_keys already exists"): whoever comes first creates, under a lock held until its commit.
        using var transaction = connection.BeginTransaction();
        using (
            var lockKeys = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext($1))", connection, transaction)
            {
                Parameters = { new() { Value = $"chargelink:{schema}:chargelink_keys" } },
            }
        )
            lockKeys.ExecuteNonQuery();
        using (
            var create = new NpgsqlCommand(
                $"""
                create schema if not exists {SqlNames.Quote(schema)};
                create table if not exists {table} (name text primary key, value bytea not null, created_at timestamptz
                not null default now());
                """,
                connection,
                transaction
            )
        )
        {
            create.ExecuteNonQuery();
        }
        using var command = new NpgsqlCommand(
            $"insert into {table} (name, value) values ($1, $2) on conflict (name) do nothing",
            connection,
            transaction
        )
        {
            Parameters =
            {
                new() { Value = Name },
                new() { Value = RandomNumberGenerator.GetBytes(32) },
            },
        };
        command.ExecuteNonQuery();
        using (
            var grantees = new NpgsqlCommand(
                """
                select distinct grantee from information_schema.role_table_grants
                where table_schema = $1 and table_name = 'chargelink_keys' and grantee <> current_user
                """,
                connection,
                transaction
            )
            {
                Parameters = { new() { Value = schema } },
            }
        )
        using (var reader = grantees.ExecuteReader())
        {
            var others = new List<string>();
            while (reader.Read())
                others.Add(reader.GetString(0));
            reader.Close();
            foreach (var grantee in others)
            {
                using var revoke = new NpgsqlCommand(
                    $"revoke all on table {table} from {SqlNames.Quote(grantee)}",
                    connection,
                    transaction
                );
                revoke.ExecuteNonQuery();
            }
        }
        transaction.Commit();
        using var read = new NpgsqlCommand($"select value from {table} where name = $1", connection)
        {
            Parameters = { new() { Value = Name } },
        };
        return (byte[])read.ExecuteScalar()!;
    }
}
