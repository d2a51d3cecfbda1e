using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Domain.Audit;
using ChargeLink.Domain.Groups;
using Spectre.Console;

namespace ChargeLink.Cli.Audit;

/// <summary>
/// `chargelink audit replay`: rebuilds every read model (group state and summary, each payment's record and its
/// session) from the events alone and compares them with what the orchestrator stored beside the streams, and the
/// state kept for cold starts (each stream's snapshot) with the fold of the events up to its version.
/// The log is read row by row in append order; memory holds each stream's state and its open payments, and settled
/// payments only until their batch is compared.
/// </summary>
public static class ReplayCommand
{
    public static Command Create(CliConsole console)
    {
        var source = new AuditSource(console);
        var group = new Option<string?>("--group") { Description = "replay one station group's stream only" };
        var command = new Command(
            "replay",
            "rebuild group state, sessions and payment outcomes from the events, compare with "
                + "what is stored, print differences (exit 1 if any)"
        )
        {
            group,
        };
        source.AddTo(command);
        source.SetAction(command, async (result, cancellation) =>
        {
            await using var reader = source.Reader(result);
            await using var stored = source.ReadModels(result);
            var names = source.GroupNames(result);
            var only = result.GetValue(group) is { } groupId ? GroupCorrelation.IdOf(groupId) : (Guid?)null;
            var replay = new Replay(stored, names, console, cancellation);
            var clock = Stopwatch.StartNew();
            if (
                ReferenceEquals(console.Out, Console.Out)
                && !Console.IsOutputRedirected
                && AnsiConsole.Profile.Capabilities.Interactive
            )
            {
                var total = await reader.Count(only, cancellation);
                await AnsiConsole
                    .Progress()
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask("replaying events", maxValue: Math.Max(total, 1));
                        await replay.Run(reader.Read(only, cancellation), read => task.Value = read);
                    });
            }
            else
                await replay.Run(reader.Read(only, cancellation), null);
            var seconds = clock.Elapsed.TotalSeconds;
            await console.Out.WriteLineAsync(
                $"replayed {replay.Events} events of {replay.Streams} stream(s) in {seconds:0.00} s "
                    + $"({replay.Events / Math.Max(seconds, 1e-3):N0} events/s), {replay.Payments} payment(s): "
                    + (
                        replay.Differences == 0
                            ? "everything stored matches the events"
                            : $"{replay.Differences} difference(s)"
                    )
            );
            return replay.Differences == 0 ? 0 : 1;
        });
        return command;
    }

    private sealed class Replay(
        StoredReadModels stored,
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
        private readonly List<PaymentRecord> _settled = [];

        public async Task Run(IAsyncEnumerable<StoredEvent> events, Action<long>? progress)
        {
            await foreach (var e in events.WithCancellation(cancellation))
            {
                if (!_streams.TryGetValue(e.StreamId, out var stream))
                    _streams[e.StreamId] = stream = await Begin(e.StreamId);
                var data = e.Data();
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
            await CompareSettled();
            foreach (var (id, stream) in _streams)
                await End(id, stream);
            await CompareCounts();
            progress?.Invoke(Events);
        }

        private async Task<StreamReplay> Begin(Guid stream)
        {
            var storedSummary = await stored.Summary(stream, cancellation);
            // The group's name comes from the stored summary or the topology; the events themselves do not carry it.
            return new StreamReplay(
                GroupSummary.Empty(
                    storedSummary?.GroupId ?? names.GetValueOrDefault(stream) ?? stream.ToString(),
                    stream
                ),
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
                    $"{AuditCommands.StreamName(id, names)}: snapshot at version {stream.Version} is "
                        + $"not readable ({e.Message})"
                );
                return;
            }
            if (kept is not null && kept.ToJson() != GroupSnapshot.Of(stream.State).ToJson())
                await Differ(
                    $"{AuditCommands.StreamName(id, names)}: snapshot at version {stream.Version} is "
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

        private async Task CompareSettled()
        {
            if (_settled.Count == 0)
                return;
            var storedPayments = await stored.Payments(_settled.ConvertAll(p => p.PaymentId), cancellation);
            foreach (var rebuilt in _settled)
                await Compare(
                    $"{AuditCommands.StreamName(rebuilt.StreamId, names)}: payment {rebuilt.PaymentId}",
                    rebuilt,
                    storedPayments.GetValueOrDefault(rebuilt.PaymentId)
                );
            _settled.Clear();
        }

        private async Task End(Guid id, StreamReplay stream)
        {
            var name = AuditCommands.StreamName(id, names);
            await Compare(
                $"{name}: group summary",
                GroupSummaries.WithState(stream.Summary, stream.State),
                stream.Stored
            );
            if (stream.Snapshot is { } snapshot && snapshot.Version > stream.Version)
                await Differ(
                    $"{name}: snapshot at version {snapshot.Version}, beyond the stream's last event "
                        + $"(version {stream.Version})"
                );
            var storedPayments = await stored.Payments(stream.Open.Keys, cancellation);
            foreach (var (paymentId, rebuilt) in stream.Open)
                await Compare($"{name}: payment {paymentId}", rebuilt, storedPayments.GetValueOrDefault(paymentId));
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
                        $"{AuditCommands.StreamName(id, names)}: {count} payment record(s) stored, "
                            + $"{stream.Payments} payment(s) in the events"
                    );
            }
        }

        private async Task Compare<T>(string what, T rebuilt, T? storedValue)
            where T : class
        {
            if (storedValue is null)
            {
                await Differ($"{what}: rebuilt from the events but not stored");
                return;
            }
            // A payment record holds values only, so record equality settles the common case without any JSON.
            if (rebuilt is PaymentRecord && rebuilt.Equals(storedValue))
                return;
            var (mine, theirs) = (
                JsonSerializer.SerializeToNode(rebuilt, EventJson.Options)!.AsObject(),
                JsonSerializer.SerializeToNode(storedValue, EventJson.Options)!.AsObject()
            );
            foreach (var (field, value) in mine)
            {
                if (!JsonNode.DeepEquals(value, theirs[field]))
                    await Differ($"{what}: {field} is {Show(theirs[field])} stored, {Show(value)} from the events");
            }
        }

        private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";

        private async Task Differ(string difference)
        {
            Differences++;
            await console.Out.WriteLineAsync($"DIFFERENT {difference}");
        }
    }
}
