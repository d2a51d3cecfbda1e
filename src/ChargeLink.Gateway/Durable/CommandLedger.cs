using Npgsql;

namespace ChargeLink.Gateway.Durable;

/// <summary>An idTag handed to a station with a remote start, and the connector (2.x: the EVSE) it was asked to start
/// on.</summary>
public sealed record IssuedIdTag(string IdTag, int ConnectorId);

/// <summary>
/// The station commands this gateway (any instance, any run) acted on, by message id. A command arrives at least
/// twice (right after the group's append, and again from the orchestrator's relay); the first claim wins, and a
/// restart in between does not make the repeat look new, so a station is never asked to start twice for one
/// decision. It also remembers which idTags were handed to which station, so the station's Authorize and
/// StartTransaction are accepted on any connection and any gateway instance.
/// </summary>
/// <remarks>
/// A claim is taken before the CALL is sent. A gateway that dies between the claim and the send has sent nothing, and
/// the repeat is dropped: the group's answer timeout then moves the payment on (rule 8) — a start lost, never a start
/// doubled.
/// </remarks>
public sealed class CommandLedger(GatewayDatabase database)
{
    private static readonly TimeSpan Kept = TimeSpan.FromDays(30);
    private long _claims;

    /// <summary>True the first time <paramref name="messageId"/> is claimed, by any instance, ever; false for a
    /// repeat.</summary>
    public async Task<bool> TryClaim(
        Guid messageId,
        string chargePointId,
        IssuedIdTag? idTag,
        CancellationToken cancellation
    )
    {
        await using var connection = await database.Open(cancellation);
        await using var command = new NpgsqlCommand(
            $"insert into {database.Schema}.chargelink_station_commands (message_id, "
                + "charge_point_id, id_tag, connector_id) values ($1, $2, $3, $4) on conflict do nothing",
            connection
        )
        {
            Parameters =
            {
                new() { Value = messageId },
                new() { Value = chargePointId },
                new() { Value = (object?)idTag?.IdTag ?? DBNull.Value },
                new() { Value = (object?)idTag?.ConnectorId ?? DBNull.Value },
            },
        };
        var claimed = await command.ExecuteNonQueryAsync(cancellation) == 1;
        // Now and then, forget commands older than anything a relay or a station could still repeat.
        if (Interlocked.Increment(ref _claims) % 100 == 0)
        {
            await using var prune = new NpgsqlCommand(
                $"delete from {database.Schema}.chargelink_station_commands where claimed_at < "
                    + $"now() - make_interval(days => {Kept.Days})",
                connection
            );
            await prune.ExecuteNonQueryAsync(cancellation);
        }
        return claimed;
    }

    /// <summary>The command was not sent after all (our failure, not the station's): its retry may claim it
    /// again.</summary>
    public async Task Release(Guid messageId, CancellationToken cancellation)
    {
        await using var connection = await database.Open(cancellation);
        await using var command = new NpgsqlCommand(
            $"delete from {database.Schema}.chargelink_station_commands where message_id = $1",
            connection
        )
        {
            Parameters = { new() { Value = messageId } },
        };
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>Whether ChargeLink asked this station to start with this idTag (then it is a payment's tag:
    /// Accepted).</summary>
    public async Task<bool> WasIssued(string chargePointId, string idTag, CancellationToken cancellation)
    {
        if (!IdTag.IsPaymentShaped(idTag))
            return false;
        await using var connection = await database.Open(cancellation);
        await using var command = new NpgsqlCommand(
            $"select exists (select 1 from {database.Schema}.chargelink_station_commands where "
                + "charge_point_id = $1 and id_tag = $2)",
            connection
        )
        {
            Parameters =
            {
                new() { Value = chargePointId },
                new() { Value = idTag },
            },
        };
        return (bool)(await command.ExecuteScalarAsync(cancellation))!;
    }

    /// <summary>The connector (2.x: the EVSE) this station was last asked to start on with this idTag; null if it never
    /// was (or was asked before the ledger kept connectors).</summary>
    public async Task<int?> ConnectorOf(string chargePointId, string idTag, CancellationToken cancellation)
    {
        if (!IdTag.IsPaymentShaped(idTag))
            return null;
        await using var connection = await database.Open(cancellation);
        await using var command = new NpgsqlCommand(
            $"select connector_id from {database.Schema}.chargelink_station_commands where charge_point_id = $1 "
                + "and id_tag = $2 and connector_id is not null order by claimed_at desc limit 1",
            connection
        )
        {
            Parameters =
            {
                new() { Value = chargePointId },
                new() { Value = idTag },
            },
        };
        return await command.ExecuteScalarAsync(cancellation) is int connector ? connector : null;
    }
}
