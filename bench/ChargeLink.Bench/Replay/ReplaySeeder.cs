using System.Text.Json;
using ChargeLink.Domain.Audit;
using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;
using ChargeLink.EventLog;
using Npgsql;
using NpgsqlTypes;

namespace ChargeLink.Bench.Replay;

/// <summary>
/// Writes a large event log straight into PostgreSQL for the replay scenario: whole sessions (7 events each)
/// spread over 100 streams in append order, each event with its hash-chain link, and the read models the
/// orchestrator would have stored beside them — so a replay that finds no difference has read everything right.
/// Like the orchestrator's, each stream forgets its settled payments under the retention rule (the decider's
/// <see cref="PaymentsForgotten"/>, appended before a session once due): a long log holds a bounded state, as a long
/// life does.
/// The tables are copies of the ones the benchmark's orchestrator created (Marten's own layout).
/// </summary>
public sealed class ReplaySeeder(string postgres, string templateSchema)
{
    private const int Streams = 100;

    // The orchestrator's defaults; only the retention period matters here, every seeded session being settled.
    private static readonly GroupPolicy Policy = new(new Tariff(45, "EUR"), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));

    /// <summary>The station groups the seeded streams belong to (a stream's id is its group's, as the orchestrator's).</summary>
    public static IEnumerable<string> GroupIds => Enumerable.Range(0, Streams).Select(s => $"replay-{s:D3}");

    /// <summary>Makes <paramref name="schema"/> afresh with the template's tables and seeds it.</summary>
    public async Task Seed(string schema, int events)
    {
        await using (var connection = new NpgsqlConnection(postgres))
        {
            await connection.OpenAsync();
            await Execute(connection, $"drop schema if exists {schema} cascade; create schema {schema}; " + string.Join(' ',
                new[] { StoredNames.Streams, StoredNames.Events, StoredNames.PaymentRecords, StoredNames.GroupSummaries }.Select(t => $"create table {schema}.{t} (like \"{templateSchema}\".{t} including all);")));
        }
        await SeedInto(schema, events);
    }

    /// <summary>Seeds <paramref name="schema"/>, whose tables exist and are empty (a store made them).</summary>
    public async Task SeedInto(string schema, int events)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        var streams = GroupIds.Select(g => new SeededStream(ChargeLink.Contracts.GroupCorrelation.IdOf(g), g)).ToArray();
        await using (var writer = await connection.BeginBinaryImportAsync($"copy {schema}.mt_streams (id, version) from stdin (format binary)"))
        {
            foreach (var stream in streams)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(stream.Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(0L, NpgsqlDbType.Bigint);
            }
            await writer.CompleteAsync();
        }
        var t0 = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        var sessions = events / 7;
        await using (var writer = await connection.BeginBinaryImportAsync(
            $"copy {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, headers) from stdin (format binary)"))
        {
            var sequence = 0L;
            for (var n = 0; n < sessions; n++)
            {
                var stream = streams[n % Streams];
                var at = t0.AddSeconds(n);
                var paymentId = $"pay_replay_{n}";
                // The clock's decision before the session: nothing is pending, so only the retention rule can speak.
                IGroupEvent[] session =
                [
                    .. GroupDecider.Decide(stream.State, new ClockTicked(at), at, Policy).Select(e => e as PaymentsForgotten
                        ?? throw new InvalidOperationException($"the seeded log left something pending: {e}")),
                    new ConnectorOccupied("CP-R", 1, at, null),
                    new PaymentAuthorizationReceived(paymentId, "TERM-R", 5000, "EUR", at, at),
                    new ChargingStartRequested(paymentId, "CP-R", 1, IdTag.ForPayment(paymentId, "replay-seeder"u8), at),
                    new RemoteStartAccepted(paymentId, "CP-R", 1, at),
                    new ChargingStarted(paymentId, "CP-R", 1, n, 0, at),
                    new ChargingStopped(paymentId, "CP-R", 1, n, 10_000, 10_000, at),
                    new PaymentCaptureRequested(paymentId, 450, "EUR", 10_000, Session.IdOf("CP-R", 1, n), at),
                ];
                foreach (var e in session)
                {
                    var (type, json) = (GroupEventTypes.NameOf(e.GetType()), JsonSerializer.Serialize(e, e.GetType(), EventJson.Options));
                    stream.Append(e, type, json);
                    await writer.StartRowAsync();
                    await writer.WriteAsync(++sequence, NpgsqlDbType.Bigint);
                    await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await writer.WriteAsync(stream.Id, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(stream.Version, NpgsqlDbType.Bigint);
                    await writer.WriteAsync(json, NpgsqlDbType.Jsonb);
                    await writer.WriteAsync(type, NpgsqlDbType.Varchar);
                    await writer.WriteAsync(at, NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync($$"""{"{{EventChain.Header}}": "{{stream.Link}}"}""", NpgsqlDbType.Jsonb);
                }
            }
            await writer.CompleteAsync();
        }

        // Each stream's version, now that its events are in: the rows exist since before them (Marten's own tables have a
        // foreign key from each event to its stream).
        foreach (var stream in streams)
            await Execute(connection, $"update {schema}.mt_streams set version = {stream.Version} where id = '{stream.Id}'");
        await Documents(connection, $"{schema}.{StoredNames.GroupSummaries}", streams.Select(s => (s.Summary.GroupId, (object)GroupSummaries.WithState(s.Summary, s.State))));
        await Documents(connection, $"{schema}.{StoredNames.PaymentRecords}", streams.SelectMany(s => s.Payments.Values).Select(p => (p.PaymentId, (object)p)));
        // A log an auditor replays has been in the database a while: vacuumed, its rows' hint bits set. Without this the
        // replays measured PostgreSQL's first pass over a million fresh rows (and an autovacuum started by the insert)
        // as much as the replay.
        foreach (var table in new[] { "mt_events", "mt_streams", StoredNames.GroupSummaries, StoredNames.PaymentRecords })
            await Execute(connection, $"vacuum (analyze) {schema}.{table}");
    }

    private static async Task Documents(NpgsqlConnection connection, string table, IEnumerable<(string Id, object Document)> documents)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"copy {table} (id, data) from stdin (format binary)");
        foreach (var (id, document) in documents)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(id, NpgsqlDbType.Varchar);
            await writer.WriteAsync(JsonSerializer.Serialize(document, document.GetType(), EventJson.Options), NpgsqlDbType.Jsonb);
        }
        await writer.CompleteAsync();
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A stream being written: its version, chain, and the read models folded from what it holds.</summary>
    private sealed class SeededStream(Guid id, string groupId)
    {
        public Guid Id { get; } = id;
        public long Version { get; private set; }
        public string Link { get; private set; } = EventChain.Genesis;
        public GroupState State { get; private set; } = GroupState.Empty;
        public GroupSummary Summary { get; private set; } = GroupSummary.Empty(groupId, id);
        public Dictionary<string, PaymentRecord> Payments { get; } = [];

        public void Append(IGroupEvent e, string type, string json)
        {
            Version++;
            Link = EventChain.Link(Link, Id, Version, type, json);
            State = State.Evolve(e);
            Summary = GroupSummaries.Evolve(Summary, e);
            if (e.PaymentId is { } paymentId && PaymentRecords.Evolve(Payments.GetValueOrDefault(paymentId), Id, Summary.GroupId, e) is { } record)
                Payments[paymentId] = record;
        }
    }
}
