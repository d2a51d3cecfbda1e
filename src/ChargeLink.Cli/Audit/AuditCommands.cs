namespace ChargeLink.Cli.Audit;

/// <summary>`chargelink audit ...`: answers "why did this payment start that connector, and what did it cost?" from the
/// event log alone.</summary>
public static class AuditCommands
{
    public static Command Create(CliConsole console) =>
        new(
            "audit",
            "read, replay and verify the event log, as the read-only PostgreSQL role "
                + "chargelink_auditor unless --postgres says otherwise: timeline, explain, replay, "
                + "verify, export"
        )
        {
            TimelineCommand.Create(console),
            ExplainCommand.Create(console),
            ReplayCommand.Create(console),
            VerifyCommand.Create(console),
            ExportCommand.Create(console),
        };

    public static string StreamName(Guid stream, IReadOnlyDictionary<Guid, string> names) =>
        names.TryGetValue(stream, out var group) ? $"group {group} (stream {stream})" : $"stream {stream}";

    public static string Time(DateTimeOffset at) => Domain.Audit.PaymentStory.Time(at);
}
