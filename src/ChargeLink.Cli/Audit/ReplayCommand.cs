using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Domain.Audit;
using ChargeLink.Domain.Groups;
using ChargeLink.EventLog;
using Spectre.Console;

namespace ChargeLink.Cli.Audit;

/// <summary>
/// `chargelink audit replay`: rebuilds every read model (group state and summary, each payment's record and its
/// session) from the events alone and compares them with what the orchestrator stored beside the streams.
/// Streams are read one after another, row by row; memory holds one stream's payments at a time.
/// </summary>
public static class ReplayCommand
{
    public static Command Create(CliConsole console)
    {
        var source = new AuditSource();
        var group = new Option<string?>("--group") { Description = "replay one station group's stream only" };
        var command = new Command("replay", "rebuild group state, sessions and payment outcomes from the events, compare with what is stored, print differences (exit 1 if any)") { group };
        source.AddTo(command);
        command.SetAction(async (result, cancellation) =>
        {
            await using var reader = source.Reader(result);
            await using var stored = source.ReadModels(result);
            var names = source.GroupNames(result);
            var only = result.GetValue(group) is { } groupId ? GroupCorrelation.IdOf(groupId) : (Guid?)null;
            var replay = new Replay(stored, names, console, cancellation);
            var clock = Stopwatch.StartNew();
            if (ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
            {
                var total = await reader.Count(only, cancellation);
                await AnsiConsole.Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask("replaying events", maxValue: Math.Max(total, 1));
                    await replay.Run(reader.Read(only, cancellation), read => task.Value = read);
                });
            }
            else
                await replay.Run(reader.Read(only, cancellation), null);
            var seconds = clock.Elapsed.TotalSeconds;
            await console.Out.WriteLineAsync(
                $"replayed {replay.Events} events of {replay.Streams} stream(s) in {seconds:0.00} s ({replay.Events / Math.Max(seconds, 1e-3):N0} events/s), " +
                $"{replay.Payments} payment(s): {(replay.Differences == 0 ? "everything stored matches the events" : $"{replay.Differences} difference(s)")}");
            return replay.Differences == 0 ? 0 : 1;
        });
        return command;
    }

    private sealed class Replay(StoredReadModels stored, IReadOnlyDictionary<Guid, string> names, CliConsole console, CancellationToken cancellation)
    {
        public long Events { get; private set; }
        public int Streams { get; private set; }
        public int Payments { get; private set; }
        public int Differences { get; private set; }

        private Guid _stream;
        private GroupState _state = GroupState.Empty;
        private GroupSummary? _summary;
        private GroupSummary? _storedSummary;
        private readonly Dictionary<string, PaymentRecord> _payments = new(StringComparer.Ordinal);

        public async Task Run(IAsyncEnumerable<StoredEvent> events, Action<long>? progress)
        {
            await foreach (var e in events.WithCancellation(cancellation))
            {
                if (_summary is null || e.StreamId != _stream)
                {
                    await EndStream();
                    await BeginStream(e.StreamId);
                }
                var data = e.Data();
                _state = _state.Evolve(data);
                _summary = GroupSummaries.Evolve(_summary!, data, _state);
                if (PaymentRecords.PaymentOf(data) is { } paymentId
                    && PaymentRecords.Evolve(_payments.GetValueOrDefault(paymentId), e.StreamId, _summary.GroupId, data) is { } evolved)
                    _payments[paymentId] = evolved;
                if (++Events % 10_000 == 0)
                    progress?.Invoke(Events);
            }
            await EndStream();
            progress?.Invoke(Events);
        }

        private async Task BeginStream(Guid stream)
        {
            (_stream, _state) = (stream, GroupState.Empty);
            _payments.Clear();
            Streams++;
            _storedSummary = await stored.Summary(stream, cancellation);
            // The group's name comes from the stored summary or the topology; the events themselves do not carry it.
            _summary = GroupSummary.Empty(_storedSummary?.GroupId ?? names.GetValueOrDefault(stream) ?? stream.ToString(), stream);
        }

        private async Task EndStream()
        {
            if (_summary is null)
                return;
            var name = AuditCommands.StreamName(_stream, names);
            await Compare($"{name}: group summary", _summary, _storedSummary);
            var storedPayments = await stored.Payments(_stream, cancellation);
            foreach (var (paymentId, rebuilt) in _payments)
                await Compare($"{name}: payment {paymentId}", rebuilt, storedPayments.GetValueOrDefault(paymentId));
            foreach (var extra in storedPayments.Keys.Except(_payments.Keys))
                await Differ($"{name}: payment {extra} is stored but no event of the stream speaks of it");
            Payments += _payments.Count;
            _summary = null;
        }

        private async Task Compare<T>(string what, T rebuilt, T? storedValue) where T : class
        {
            if (storedValue is null)
            {
                await Differ($"{what}: rebuilt from the events but not stored");
                return;
            }
            var (mine, theirs) = (JsonSerializer.SerializeToNode(rebuilt, EventJson.Options)!.AsObject(), JsonSerializer.SerializeToNode(storedValue, EventJson.Options)!.AsObject());
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
