using System.Security.Cryptography;
using System.Text;
using ChargeLink.Orchestrator.Delivering;
using ChargeLink.ServiceDefaults;
using Npgsql;
using NUnit.Framework;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The services' pooled connections are not reset when they return to the pool (<see cref="PostgresConnections"/>), so
/// what holds session state must not go back to the pool holding it: the leader's advisory lock ends with its
/// connection.
/// </summary>
public sealed class PostgresConnectionsTests
{
    [Test]
    public async Task A_leader_that_steps_down_frees_its_lock_though_pooled_connections_are_not_reset()
    {
        var pooled = PostgresConnections.Pooled(RealServices.Postgres);
        Assert.That(new NpgsqlConnectionStringBuilder(pooled).NoResetOnClose, Is.True, "the services' pool");
        var name = $"chargelink:test:{Guid.NewGuid():N}";
        // The key as PostgreSQL sees it, derived here as the lock's contract says: the name's SHA-256, first 8 bytes.
        var key = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0);

        var leader = new PostgresLeaderLock(pooled, name);
        Assert.That(await leader.HoldOrTryTake(CancellationToken.None), Is.True, "the first taker leads");
        Assert.That(await TakenElsewhere(key), Is.False, "held by the leader, nobody else can take it");

        await leader.DisposeAsync();
        // Had its connection gone back to the (unreset) pool, the session and its lock would live on there.
        Assert.That(await TakenElsewhere(key), Is.True, "the lock is free once the leader steps down");
    }

    // Takes and at once releases the lock on a connection of its own; true if it could.
    private static async Task<bool> TakenElsewhere(long key)
    {
        await using var connection = new NpgsqlConnection(PostgresConnections.OwnSession(RealServices.Postgres));
        await connection.OpenAsync();
        await using var take = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection);
        take.Parameters.Add(new NpgsqlParameter { Value = key });
        var taken = await take.ExecuteScalarAsync() is true;
        if (taken)
        {
            await using var release = new NpgsqlCommand("select pg_advisory_unlock($1)", connection);
            release.Parameters.Add(new NpgsqlParameter { Value = key });
            await release.ExecuteScalarAsync();
        }
        return taken;
    }
}
