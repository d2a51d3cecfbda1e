using ChargeLink.EventLog;
using Npgsql;

namespace ChargeLink.Orchestrator.Reading;

/// <param name="Online">Served by a gateway that refreshed it lately; false for a station never connected.</param>
/// <param name="Since">Since when it is connected, or not; null for a station never connected.</param>
public sealed record StationPresenceView(string ChargePointId, bool Online, DateTimeOffset? Since, string? Subprotocol);

/// <summary>Whether stations are connected, as the gateways record it (<see cref="StationPresenceTable"/>).</summary>
public sealed class StationPresenceReader(ChargeLinkSettings settings) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(settings.Postgres);

    public async Task<IReadOnlyDictionary<string, StationPresenceView>> Of(
        IReadOnlyCollection<string> chargePointIds,
        CancellationToken cancellation
    )
    {
        var found = new Dictionary<string, StationPresenceView>(StringComparer.Ordinal);
        try
        {
            await using var command = _source.CreateCommand(
                $"""
                select charge_point_id, connected and seen_at > now() - make_interval(secs => $2), since, subprotocol
                from {SqlNames.Quote(
                    settings.PostgresSchema
                )}.{StationPresenceTable.Name} where charge_point_id = any($1)
                """
            );
            command.Parameters.Add(new NpgsqlParameter { Value = chargePointIds.ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = StationPresenceTable.SeenWithin.TotalSeconds });
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
                found[reader.GetString(0)] = new StationPresenceView(
                    reader.GetString(0),
                    reader.GetBoolean(1),
                    reader.GetFieldValue<DateTimeOffset>(2),
                    reader.GetString(3)
                );
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // No gateway has served a station yet: none is connected.
        }
        return chargePointIds.ToDictionary(
            id => id,
            id => found.GetValueOrDefault(id) ?? new StationPresenceView(id, false, null, null),
            StringComparer.Ordinal
        );
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
