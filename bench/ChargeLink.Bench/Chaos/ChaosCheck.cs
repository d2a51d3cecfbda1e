using System.Text.Json.Nodes;
using Npgsql;

namespace ChargeLink.Bench;

/// <summary>
/// After settling, every payment against what its station did: exactly one distinct instruction on the payment cloud's
/// queue and one settlement event in its group's stream; the capture equals the energy the station reported times the
/// tariff, capped at the hold; a payment whose station never started is voided; no payment charged on two connectors.
/// </summary>
public static class ChaosCheck
{
    public static async Task<JsonObject> Run(ChaosSessions sessions, InstructionCounter instructions, string postgres, string schema)
    {
        var settlements = await CountByPayment(postgres, schema, "'payment_capture_requested_v1', 'payment_void_requested_v1'", "data ->> 'PaymentId'");
        var starts = await CountByPayment(postgres, schema, "'charging_started_v1'", "data ->> 'PaymentId'");
        var connectors = await CountByPayment(postgres, schema, "'charging_started_v1'", "data ->> 'PaymentId'", distinct: "data ->> 'ChargePointId'");
        var overlapping = await SessionsOverlappingOnAConnector(postgres, schema);
        int lost = 0, doubled = 0, wrong = 0, doubledInStore = 0, twoConnectors = 0, captured = 0, voided = 0, failedInGenerator = 0;
        var examples = new JsonArray();
        foreach (var record in sessions.Records.Values.OrderBy(r => r.PaymentId, StringComparer.Ordinal))
        {
            var received = instructions.All.TryGetValue(record.PaymentId, out var all) ? all.Distinct().ToList() : [];
            var expected = ChaosSessions.Expected(record);
            string? fault = null;
            if (record.Failure is not null)
            {
                failedInGenerator++;
                fault = $"generator: {record.Failure}";
            }
            else if (received.Count == 0)
            {
                lost++;
                fault = "lost: no instruction";
            }
            else if (received.Count > 1)
            {
                doubled++;
                fault = $"doubled: {string.Join(", ", received)}";
            }
            else if (expected is null ? !received[0].StartsWith("void", StringComparison.Ordinal) : received[0] != expected)
            {
                wrong++;
                fault = $"wrong: {received[0]}, expected {expected ?? "a void"}";
            }
            if (settlements.GetValueOrDefault(record.PaymentId) > 1)
            {
                doubledInStore++;
                fault ??= $"{settlements[record.PaymentId]} settlement events in the stream";
            }
            if (connectors.GetValueOrDefault(record.PaymentId) > 1 || starts.GetValueOrDefault(record.PaymentId) > 1)
            {
                twoConnectors++;
                fault ??= $"charging started {starts[record.PaymentId]} times on {connectors[record.PaymentId]} station(s)";
            }
            if (received.Count == 1)
            {
                if (received[0].StartsWith("capture", StringComparison.Ordinal))
                    captured++;
                else
                    voided++;
            }
            if (fault is not null && examples.Count < 20)
                examples.Add($"{record.PaymentId} on {record.ChargePointId} (started {record.Started}, transaction {record.TransactionId}, {record.EnergyWh} Wh): {fault}");
        }
        return new JsonObject
        {
            ["sessions"] = sessions.Records.Count,
            ["captured"] = captured,
            ["voided"] = voided,
            ["lost"] = lost,
            ["doubled"] = doubled + doubledInStore,
            ["doubledOnTheQueue"] = doubled,
            ["doubledInTheStream"] = doubledInStore,
            ["wrong"] = wrong + sessions.TransactionIdMismatches + failedInGenerator,
            ["wrongAmountOrOutcome"] = wrong,
            ["transactionIdChangedOnResend"] = sessions.TransactionIdMismatches,
            ["failedInGenerator"] = failedInGenerator,
            ["doubleStarts"] = sessions.DoubleStarts + twoConnectors + overlapping,
            ["connectorWithTwoSessions"] = overlapping,
            ["startedTwiceOrOnTwoConnectors"] = twoConnectors,
            ["remoteStartReceivedAgainAfterAcceptance"] = sessions.DoubleStarts,
            ["instructionsRepeatedWithTheSameMessageId"] = instructions.All.Values.Sum(q => q.Count - q.Distinct().Count()),
            ["badSignatures"] = instructions.BadSignatures,
            ["sessionSecondsP50"] = Percentile(sessions, 0.50),
            ["sessionSecondsP99"] = Percentile(sessions, 0.99),
            ["sessionSecondsMax"] = Percentile(sessions, 1.0),
            ["examples"] = examples,
        };
    }

    // In each group's order of events: a connector that starts charging for a payment while the payment it last charged
    // for is not settled yet carries two sessions.
    private static async Task<int> SessionsOverlappingOnAConnector(string postgres, string schema)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            select stream_id, type, data ->> 'PaymentId', data ->> 'ChargePointId', (data ->> 'ConnectorId')::int from "{schema}".mt_events
            where type in ('charging_started_v1', 'payment_capture_requested_v1', 'payment_void_requested_v1', 'payment_cancelled_v1')
            order by stream_id, version
            """, connection);
        var open = new Dictionary<(Guid, string, int), string>();
        var settled = new HashSet<string>(StringComparer.Ordinal);
        var overlapping = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var payment = reader.GetString(2);
            if (reader.GetString(1) != "charging_started_v1")
            {
                settled.Add(payment);
                continue;
            }
            var connector = (reader.GetGuid(0), reader.GetString(3), reader.GetInt32(4));
            if (open.TryGetValue(connector, out var previous) && previous != payment && !settled.Contains(previous))
                overlapping++;
            open[connector] = payment;
        }
        return overlapping;
    }

    private static double Percentile(ChaosSessions sessions, double p)
    {
        var took = sessions.Records.Values.Select(r => r.Took.TotalSeconds).Order().ToList();
        return took.Count == 0 ? 0 : Math.Round(took[Math.Min(took.Count - 1, (int)(p * took.Count))], 2);
    }

    private static async Task<Dictionary<string, long>> CountByPayment(string postgres, string schema, string types, string payment, string? distinct = null)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        var count = distinct is null ? "count(*)" : $"count(distinct {distinct})";
        await using var command = new NpgsqlCommand($"select {payment}, {count} from \"{schema}\".mt_events where type in ({types}) group by 1", connection);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!reader.IsDBNull(0))
                counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }
}
