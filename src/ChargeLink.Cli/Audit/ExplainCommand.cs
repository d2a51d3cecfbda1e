using ChargeLink.Domain.Audit;
using ChargeLink.Domain.Groups;

namespace ChargeLink.Cli.Audit;

/// <summary>
/// `chargelink audit explain --payment P`: the story of one payment in plain words, from its group's events alone
/// (<see cref="PaymentStory"/>, which the operator's console tells too).
/// </summary>
public static class ExplainCommand
{
    public static Command Create(CliConsole console)
    {
        var source = new AuditSource(console);
        var payment = new Option<string>("--payment") { Description = "the paymentId", Required = true };
        var command = new Command(
            "explain",
            "the story of one payment: authorization, the connector chosen and why, the session, capture or void"
        )
        {
            payment,
        };
        source.AddTo(command);
        source.SetAction(command, async (result, cancellation) =>
        {
            var paymentId = result.GetValue(payment)!;
            await using var reader = source.Reader(result);
            if (await reader.StreamOfPayment(paymentId, cancellation) is not { } stream)
            {
                await console.Error.WriteLineAsync(
                    $"payment {paymentId} never reached a station group (an unknown terminal is voided "
                        + "by the payment adapter without a stream event)"
                );
                return 1;
            }
            var topology = source.SiteTopology(result);
            var groupId = source.GroupNames(result).GetValueOrDefault(stream);
            var events = new List<(IGroupEvent, DateTimeOffset, long)>();
            await foreach (var stored in reader.Read(stream, cancellation))
                events.Add((stored.Data(), stored.Timestamp, stored.Version));
            var story = PaymentStory
                .Tell(events, paymentId, groupId is null ? null : topology?.FindGroup(groupId)?.Tariff)
                .Select(line => $"{AuditCommands.Time(line.At)}  {line.Text}  [v{line.Version}]");
            await console.Out.WriteLineAsync(
                $"payment {paymentId}, {(groupId is null ? $"stream {stream}" : $"group {groupId}")}:"
            );
            foreach (var line in story)
                await console.Out.WriteLineAsync(line);
            return 0;
        });
        return command;
    }
}
