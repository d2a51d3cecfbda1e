using System.Diagnostics;
using ChargeLink.Contracts;
using Spectre.Console;

namespace ChargeLink.Cli.Audit;

/// <summary>
/// `chargelink audit replay`: rebuilds every read model (group state and summary, each payment's record and its
/// session) from the events alone and compares them with what the orchestrator stored beside the streams, and the
/// state kept for cold starts (each stream's snapshot) with the fold of the events up to its version.
/// The log is read in append order, in batches read and decoded on a thread of their own while this one folds the batch
/// before (<see cref="EventLogReader.ReadDecoded"/>); memory holds each stream's state and its open payments, and
/// settled payments only until their batch is compared, which runs beside the fold of the next.
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
            var replay = new Replay(
                stored,
                only is null ? await stored.Summaries(cancellation) : null,
                names,
                console,
                cancellation
            );
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
                        await replay.Run(reader.ReadDecoded(only, cancellation: cancellation), read =>
                            task.Value = read
                        );
                    });
            }
            else
                await replay.Run(reader.ReadDecoded(only, cancellation: cancellation), null);
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
}
