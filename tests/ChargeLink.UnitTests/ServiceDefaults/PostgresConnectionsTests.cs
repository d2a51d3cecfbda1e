using ChargeLink.ServiceDefaults;
using Npgsql;
using NUnit.Framework;

namespace ChargeLink.UnitTests.ServiceDefaults;

/// <summary>How the services' PostgreSQL connection strings are completed (<see cref="PostgresConnections"/>).</summary>
public sealed class PostgresConnectionsTests
{
    private const string Rest = ";Database=chargelink;Username=chargelink;Password=secret";

    [TestCase("Host=127.0.0.1;Port=5432")]
    [TestCase("Host=localhost")]
    [TestCase("Host=::1")]
    [TestCase("Host=/var/run/postgresql")]
    [TestCase("Host=127.0.0.1:5432,localhost:5433")]
    public void A_database_on_this_machine_is_reached_without_TLS(string host)
    {
        Assert.That(Built(PostgresConnections.Pooled(host + Rest)).SslMode, Is.EqualTo(SslMode.Disable));
        Assert.That(Built(PostgresConnections.OwnSession(host + Rest)).SslMode, Is.EqualTo(SslMode.Disable));
    }

    [TestCase("Host=db.example.org")]
    [TestCase("Host=10.0.0.5")]
    [TestCase("Host=127.0.0.1,db.example.org")]
    public void A_database_elsewhere_keeps_Npgsqls_default(string host)
    {
        var npgsqlDefault = new NpgsqlConnectionStringBuilder().SslMode;
        Assert.That(Built(PostgresConnections.Pooled(host + Rest)).SslMode, Is.EqualTo(npgsqlDefault));
        Assert.That(npgsqlDefault, Is.Not.EqualTo(SslMode.Disable), "the default offers TLS");
    }

    [Test]
    public void What_the_connection_string_says_wins()
    {
        var asked = Built(
            PostgresConnections.Pooled(
                "Host=127.0.0.1" + Rest + ";SSL Mode=Require;No Reset On Close=false;Max Auto Prepare=0"
            )
        );
        Assert.That(asked.SslMode, Is.EqualTo(SslMode.Require));
        Assert.That(asked.NoResetOnClose, Is.False);
        Assert.That(asked.MaxAutoPrepare, Is.Zero);
    }

    [Test]
    public void The_pool_is_not_reset_and_prepares_statements_and_session_holders_are_unpooled()
    {
        var pooled = Built(PostgresConnections.Pooled("Host=db.example.org" + Rest));
        Assert.That(pooled.NoResetOnClose, Is.True);
        Assert.That(pooled.MaxAutoPrepare, Is.EqualTo(64));
        Assert.That(pooled.Pooling, Is.True);
        Assert.That(Built(PostgresConnections.OwnSession("Host=db.example.org" + Rest)).Pooling, Is.False);
    }

    private static NpgsqlConnectionStringBuilder Built(string connectionString) => new(connectionString);
}
