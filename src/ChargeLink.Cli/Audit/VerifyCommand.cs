using ChargeLink.Contracts;

namespace ChargeLink.Cli.Audit;

/// <summary>`chargelink audit verify`: the hash chain of every stream, recomputed (see <see
/// cref="EventChain"/>).</summary>
public static class VerifyCommand
{
    public static Command Create(CliConsole console)
    {
        var source = new AuditSource(console);
        var group = new Option<string?>("--group") { Description = "verify one station group's stream only" };
        var command = new Command(
            "verify",
            "recompute every stream's hash chain and name the first event that fails (exit 1 if any)"
        )
        {
            group,
        };
        source.AddTo(command);
        source.SetAction(command, async (result, cancellation) =>
        {
            await using var reader = source.Reader(result);
            var names = source.GroupNames(result);
            var stream = result.GetValue(group) is { } groupId ? GroupCorrelation.IdOf(groupId) : (Guid?)null;
            var report = await ChainVerifier.Verify(
                reader.Read(stream, cancellation),
                await reader.StreamVersions(cancellation),
                cancellation: cancellation
            );
            foreach (var finding in report.Findings)
            {
                var where = finding.Sequence is { } sequence
                    ? $"event {finding.Version} ({finding.Type}, seq {sequence})"
                    : $"version {finding.Version}";
                await console.Out.WriteLineAsync(
                    $"FAILED {AuditCommands.StreamName(finding.StreamId, names)}: {where}: {finding.Problem}"
                );
            }
            await console.Out.WriteLineAsync(
                report.Intact
                    ? $"verified {report.Events} events in {report.Streams} stream(s): every hash link holds"
                    : $"{report.Findings.Count} of {report.Streams} stream(s) fail verification "
                        + $"({report.Events} events read)"
            );
            return report.Intact ? 0 : 1;
        });
        return command;
    }
}
