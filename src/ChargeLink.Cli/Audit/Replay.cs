using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Domain.Audit;
using ChargeLink.Domain.Groups;

namespace ChargeLink.Cli.Audit;

/// <summary>
/// One audit replay's fold (<see cref="ReplayCommand"/>): each stream's state, summary and open payments rebuilt from
/// its events and compared with what is stored; settled payments compared in batches beside the fold of what follows.
/// </summary>
/// <param name="summaries">Every stored summary by stream, for a whole-log replay (read once); null to ask for each
/// stream's as it begins (one group's replay).</param>
internal sealed class Replay(
    StoredReadModels stored,
    IReadOnlyDictionary<Guid, GroupSummary>? summaries,
    IReadOnlyDictionary<Guid, string> names,
    CliConsole console,
    CancellationToken cancellation
)
{
    // Settled payments are compared with what is stored in batches of this many, then forgotten.
    private const int Batch = 1000;

    public long Events { get; private set; }
    public int Streams => _streams.Count;
    public long Payments { get; private set; }
    public int Differences { get; private set; }

    private sealed class StreamReplay(
        GroupSummary summary,
        GroupSummary? stored,
        (long Version, string State)? snapshot
    )
    {
        public (long Version, string State)? Snapshot { get; } = snapshot;
        public long Version;
        public GroupState State = GroupState.Empty;
        public GroupSummary Summary = summary;
        public GroupSummary? Stored { get; } = stored;
        public Dictionary<string, PaymentRecord> Open { get; } = new(StringComparer.Ordinal);
        public long Payments;
    }

    private readonly Dictionary<Guid, StreamReplay> _streams = [];

    // Each stream's group as the topology names it, or else as its stored summary does (a group removed from the
    // topology, or a replay without one); read by the settled payments' comparison beside the fold, hence concurrent.
    private readonly ConcurrentDictionary<Guid, string> _names = new(names);
    private List<PaymentRecord> _settled = new(Batch);

    // The comparison of the last batch of settled payments, running beside the fold: its differences.
    private Task<List<string>> _comparing = Task.FromResult(new List<string>());

    public async Task Run(IAsyncEnumerable<DecodedEvent[]> batches, Action<long>? progress)
    {
        await foreach (var batch in batches.WithCancellation(cancellation))
        {
            foreach (var e in batch)
                await Fold(e, progress);
        }
        await CompareSettled();
        await Report(await _comparing);
        foreach (var (id, stream) in _streams)
            await End(id, stream);
        await CompareCounts();
        progress?.Invoke(Events);
    }

    private async Task Fold(DecodedEvent e, Action<long>? progress)
    {
        if (!_streams.TryGetValue(e.StreamId, out var stream))
            _streams[e.StreamId] = stream = await Begin(e.StreamId);
        var data = e.Data;
        stream.State = stream.State.Evolve(data);
        stream.Version = e.Version;
        if (stream.Snapshot is { } snapshot && snapshot.Version == e.Version)
            await CompareSnapshot(e.StreamId, stream, snapshot.State);
        stream.Summary = GroupSummaries.Evolve(stream.Summary, data);
        if (data.PaymentId is { } paymentId)
            await Payment(stream, e.StreamId, paymentId, data);
        if (++Events % 10_000 == 0)
            progress?.Invoke(Events);
    }

    private async Task<StreamReplay> Begin(Guid stream)
    {
        var storedSummary = summaries is null
            ? await stored.Summary(stream, cancellation)
            : summaries.GetValueOrDefault(stream);
        // The group's name comes from the stored summary or the topology; the events themselves do not carry it.
        // A stream's id is derived from its group's (GroupCorrelation): a summary edited to name another group is not
        // believed.
        if (storedSummary?.GroupId is { Length: > 0 } groupId && GroupCorrelation.IdOf(groupId) == stream)
            _names.TryAdd(stream, groupId);
        return new StreamReplay(
            GroupSummary.Empty(storedSummary?.GroupId ?? names.GetValueOrDefault(stream) ?? stream.ToString(), stream),
            storedSummary,
            await stored.Snapshot(stream, cancellation)
        );
    }

    // The snapshot is what a cold start decides from: it must be the fold of the events up to its version, exactly.
    // One of a format this code does not read is passed over by the orchestrator too, and so here.
    private async Task CompareSnapshot(Guid id, StreamReplay stream, string state)
    {
        GroupSnapshot? kept;
        try
        {
            kept = GroupSnapshot.FromJson(state);
        }
        catch (JsonException e)
        {
            await Differ(
                $"{AuditCommands.StreamName(id, _names)}: snapshot at version {stream.Version} is "
                    + $"not readable ({e.Message})"
            );
            return;
        }
        if (kept is not null && kept.ToJson() != GroupSnapshot.Of(stream.State).ToJson())
            await Differ(
                $"{AuditCommands.StreamName(id, _names)}: snapshot at version {stream.Version} is "
                    + "not the fold of the events up to it (a cold start would decide from another "
                    + "state)"
            );
    }

    private async Task Payment(StreamReplay stream, Guid streamId, string paymentId, IGroupEvent e)
    {
        var before = stream.Open.GetValueOrDefault(paymentId);
        if (PaymentRecords.Evolve(before, streamId, stream.Summary.GroupId, e) is not { } after)
            return;
        if (before is null)
        {
            stream.Payments++;
            Payments++;
        }
        if (!PaymentRecords.IsSettled(after))
        {
            stream.Open[paymentId] = after;
            return;
        }
        // Settled is final: compare it soon and keep nothing of it.
        stream.Open.Remove(paymentId);
        _settled.Add(after);
        if (_settled.Count >= Batch)
            await CompareSettled();
    }

    // The batch before's differences are reported first, so that they come out in the order of the log.
    private async Task CompareSettled()
    {
        if (_settled.Count == 0)
            return;
        var settled = _settled;
        _settled = new(Batch);
        await Report(await _comparing);
        _comparing = SettledDifferences(settled);
    }

    private async Task<List<string>> SettledDifferences(List<PaymentRecord> settled)
    {
        var storedPayments = await stored.Payments(settled.ConvertAll(p => p.PaymentId), cancellation);
        return
        [
            .. settled.SelectMany(rebuilt =>
                DifferencesOf(
                    $"{AuditCommands.StreamName(rebuilt.StreamId, _names)}: payment {rebuilt.PaymentId}",
                    rebuilt,
                    storedPayments.GetValueOrDefault(rebuilt.PaymentId)
                )
            ),
        ];
    }

    private async Task Report(List<string> differences)
    {
        foreach (var difference in differences)
            await Differ(difference);
    }

    private async Task End(Guid id, StreamReplay stream)
    {
        var name = AuditCommands.StreamName(id, _names);
        await Report(
            DifferencesOf(
                $"{name}: group summary",
                GroupSummaries.WithState(stream.Summary, stream.State),
                stream.Stored
            )
        );
        if (stream.Snapshot is { } snapshot && snapshot.Version > stream.Version)
            await Differ(
                $"{name}: snapshot at version {snapshot.Version}, beyond the stream's last event "
                    + $"(version {stream.Version})"
            );
        var storedPayments = await stored.Payments(stream.Open.Keys, cancellation);
        foreach (var (paymentId, rebuilt) in stream.Open)
            await Report(
                DifferencesOf($"{name}: payment {paymentId}", rebuilt, storedPayments.GetValueOrDefault(paymentId))
            );
    }

    // A payment record with no event behind it shows here: more records stored for a stream than payments in it.
    private async Task CompareCounts()
    {
        foreach (var (id, count) in await stored.PaymentCounts(cancellation))
        {
            if (!_streams.TryGetValue(id, out var stream))
                continue;
            if (count != stream.Payments)
                await Differ(
                    $"{AuditCommands.StreamName(id, _names)}: {count} payment record(s) stored, "
                        + $"{stream.Payments} payment(s) in the events"
                );
        }
    }

    private static List<string> DifferencesOf<T>(string what, T rebuilt, T? storedValue)
        where T : class
    {
        if (storedValue is null)
            return [$"{what}: rebuilt from the events but not stored"];
        // A payment record holds values only, so record equality settles the common case without any JSON.
        if (rebuilt is PaymentRecord && rebuilt.Equals(storedValue))
            return [];
        var (mine, theirs) = (
            JsonSerializer.SerializeToNode(rebuilt, EventJson.Options)!.AsObject(),
            JsonSerializer.SerializeToNode(storedValue, EventJson.Options)!.AsObject()
        );
        return
        [
            .. mine.Where(field => !JsonNode.DeepEquals(field.Value, theirs[field.Key]))
                .Select(field =>
                    $"{what}: {field.Key} is {Show(theirs[field.Key])} stored, {Show(field.Value)} from the events"
                ),
        ];
    }

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";

    private async Task Differ(string difference)
    {
        Differences++;
        await console.Out.WriteLineAsync($"DIFFERENT {difference}");
    }
}
