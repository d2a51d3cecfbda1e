using ChargeLink.EventLog;
using Npgsql;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// The two ways the services open PostgreSQL connections. Pooled ones skip Npgsql's reset on return (<c>DISCARD
/// ALL</c>): that reset was a round trip per use (18,052 in a 1,600-session bench-cpu run) and discarded the server's
/// cached plans, so every call of Marten's append function planned its statements afresh (0.83 ms a call with the
/// reset, 0.36 ms without). Nothing the services run through the pool leaves session state behind (no SET, no LISTEN,
/// no temporary table; their advisory locks are transaction-scoped), and Npgsql rolls back a transaction left open
/// either way. What does hold session state takes a connection of its own, outside the pool, so that the state ends
/// with it.
/// </summary>
public static class PostgresConnections
{
    /// <summary><paramref name="connectionString"/> for pooled use: without the reset on return, with statements
    /// prepared automatically, and without TLS to a database on this machine, unless it says otherwise.</summary>
    public static string Pooled(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
            builder.NoResetOnClose = true;
        // The same few statements run thousands of times: prepared on a connection's second use of one, PostgreSQL
        // parses and plans it once per connection instead of each time (bench-cpu: PostgreSQL 13.4-13.9 -> 11.5-12.8 ms
        // per session, the services unchanged).
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        // No TLS to a database on this machine unless asked (the rule and its measure: LoopbackTls).
        return LoopbackTls.Off(builder).ConnectionString;
    }

    /// <summary>For a connection whose session state is its purpose (a session-level advisory lock, LISTEN): not
    /// pooled, so closing it ends the session and the state with it.</summary>
    public static string OwnSession(string connectionString) =>
        LoopbackTls.Off(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }).ConnectionString;
}
