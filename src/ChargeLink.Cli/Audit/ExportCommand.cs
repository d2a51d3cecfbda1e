using System.Globalization;
using System.Text.Json;
using ChargeLink.Domain.Audit;

namespace ChargeLink.Cli.Audit;

/// <summary>
/// `chargelink audit export`: every payment with its session, for accounting, as CSV or JSON lines, streamed row by
/// row from the stored payment records (which `audit replay` checks against the events).
/// </summary>
public static class ExportCommand
{
    private static readonly string[] Columns =
    [
        "payment_id",
        "group_id",
        "terminal_id",
        "status",
        "held_minor",
        "captured_minor",
        "currency",
        "energy_wh",
        "void_reason",
        "authorized_at",
        "received_at",
        "settled_at",
        "charge_point_id",
        "connector_id",
        "transaction_id",
        "session_id",
        "started_at",
        "stopped_at",
        "meter_start_wh",
        "meter_stop_wh",
    ];

    public static Command Create(CliConsole console)
    {
        var source = new AuditSource(console);
        var format = new Option<string>("--format") { Description = "csv or jsonl", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var from = new Option<DateTimeOffset?>("--from")
        {
            Description = "payments received at or after this time (RFC 3339)",
        };
        var to = new Option<DateTimeOffset?>("--to") { Description = "payments received before this time" };
        var command = new Command("export", "sessions and payments for accounting, one row per payment, oldest first")
        {
            format,
            from,
            to,
        };
        source.AddTo(command);
        source.SetAction(command, async (result, cancellation) =>
        {
            await using var stored = source.ReadModels(result);
            var csv = result.GetValue(format) == "csv";
            if (csv)
                await console.Out.WriteLineAsync(string.Join(',', Columns));
            await foreach (
                var payment in stored.PaymentsReceived(
                    result.GetValue(from)?.ToUniversalTime(),
                    result.GetValue(to)?.ToUniversalTime(),
                    cancellation
                )
            )
                await console.Out.WriteLineAsync(
                    csv ? Row(payment) : JsonSerializer.Serialize(payment, EventJson.Options)
                );
            return 0;
        });
        return command;
    }

    private static string Row(PaymentRecord p) =>
        string.Join(
            ',',
            new object?[]
            {
                p.PaymentId,
                p.GroupId,
                p.TerminalId,
                p.Status,
                p.HeldMinor,
                p.CapturedMinor,
                p.Currency,
                p.EnergyWh,
                p.VoidReason,
                p.AuthorizedAt,
                p.ReceivedAt,
                p.SettledAt,
                p.ChargePointId,
                p.ConnectorId,
                p.TransactionId,
                p.SessionId,
                p.StartedAt,
                p.StoppedAt,
                p.MeterStartWh,
                p.MeterStopWh,
            }.Select(Field)
        );

    private static string Field(object? value)
    {
        var text = value switch
        {
            null => "",
            DateTimeOffset at => AuditCommands.Time(at),
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => Neutralised(value.ToString() ?? ""),
        };
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : text;
    }

    // A spreadsheet takes a cell that begins with one of these for a formula (OWASP's CSV injection): a text the
    // payment cloud or a station chose is kept as text by a leading apostrophe, as spreadsheets themselves mark it.
    private static string Neutralised(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
}
