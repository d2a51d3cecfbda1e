using Npgsql;

namespace ChargeLink.EventLog;

/// <summary>
/// A database on this machine is reached without TLS unless the connection string asks for it (SSL Mode): over loopback
/// it protects nothing, and Npgsql's default (Prefer) takes it wherever the server offers it, as Debian's PostgreSQL
/// does. It cost the services about 2.5 ms of CPU per session (bench-cpu within the step, alternating: 28.9 and 32.9 ms
/// without, 31.6 and 34.4 with) and `chargelink audit replay` 16 % of its reading (1,000,000 events read in 2.21 s
/// instead of 2.62). A database elsewhere keeps Npgsql's default. One rule for the services (ServiceDefaults'
/// PostgresConnections) and the CLI.
/// </summary>
public static class LoopbackTls
{
    public static string Off(string connectionString) =>
        Off(new NpgsqlConnectionStringBuilder(connectionString)).ConnectionString;

    public static NpgsqlConnectionStringBuilder Off(NpgsqlConnectionStringBuilder builder)
    {
        if (
            builder.ConnectionString.Contains("SSL Mode", StringComparison.OrdinalIgnoreCase)
            || builder.ConnectionString.Contains("SslMode", StringComparison.OrdinalIgnoreCase)
        )
            return builder;
        if (builder.Host?.Split(',') is { Length: > 0 } hosts && hosts.All(IsLoopback))
            builder.SslMode = SslMode.Disable;
        return builder;
    }

    private static bool IsLoopback(string host)
    {
        var name = host.Trim();
        // host:port in a multi-host list; a Unix socket directory starts with '/'.
        if (name.StartsWith('/'))
            return true;
        if (!name.StartsWith('[') && name.Count(c => c == ':') == 1)
            name = name[..name.IndexOf(':')];
        name = name.Trim('[', ']');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(name, out var address) && System.Net.IPAddress.IsLoopback(address));
    }
}
