using System.Text.Json;
using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Domain.Audit;

namespace ChargeLink.Cli.Audit;

/// <summary>`chargelink audit timeline`: a group's events in order, one readable line each, or JSON lines.</summary>
public static class TimelineCommand
{
    // Timestamps keep their '+' rather than \u002B: the lines are read by people too.
    private static readonly JsonSerializerOptions Readable = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(CliConsole console)
    {
        var source = new AuditSource(console);
        var group = new Option<string>("--group") { Description = "the station group", Required = true };
        var from = new Option<DateTimeOffset?>("--from")
        {
            Description = "only events stored at or after this time (RFC 3339)",
        };
        var to = new Option<DateTimeOffset?>("--to") { Description = "only events stored before this time" };
        var payment = new Option<string?>("--payment") { Description = "only the events of this payment" };
        var json = new Option<bool>("--json") { Description = "one JSON object per line, for machines" };
        var command = new Command(
            "timeline",
            "a group's events in order: time, version, event, station/connector, payment, figures"
        )
        {
            group,
            from,
            to,
            payment,
            json,
        };
        source.AddTo(command);
        source.SetAction(command, async (result, cancellation) =>
        {
            await using var reader = source.Reader(result);
            var (start, end, paymentId, asJson) = (
                result.GetValue(from),
                result.GetValue(to),
                result.GetValue(payment),
                result.GetValue(json)
            );
            var shown = 0;
            await foreach (var stored in reader.Read(GroupCorrelation.IdOf(result.GetValue(group)!), cancellation))
            {
                if ((start is { } s && stored.Timestamp < s) || (end is { } t && stored.Timestamp >= t))
                    continue;
                var e = stored.Data();
                if (paymentId is not null && e.PaymentId != paymentId)
                    continue;
                shown++;
                var line = EventLine.Of(e);
                await console.Out.WriteLineAsync(
                    asJson
                        ? new JsonObject
                        {
                            ["version"] = stored.Version,
                            ["sequence"] = stored.Sequence,
                            ["storedAt"] = AuditCommands.Time(stored.Timestamp),
                            ["type"] = stored.Type,
                            ["paymentId"] = line.PaymentId,
                            ["data"] = JsonNode.Parse(stored.Json),
                        }.ToJsonString(Readable)
                        : $"{AuditCommands.Time(stored.Timestamp)}  v{stored.Version,-4} {line.What,-20} "
                            + $"{line.Where ?? "",-16} {line.PaymentId ?? "",-20} {line.Detail}"
                );
            }
            if (shown == 0 && !asJson)
                await console.Error.WriteLineAsync($"no events for group {result.GetValue(group)} with these filters");
            return 0;
        });
        return command;
    }
}
