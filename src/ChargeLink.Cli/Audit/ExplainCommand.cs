using System.CommandLine;
using ChargeLink.Domain.Groups;
using ChargeLink.EventLog;

namespace ChargeLink.Cli.Audit;

/// <summary>
/// `chargelink audit explain --payment P`: the story of one payment in plain words, from its group's events alone:
/// what was waiting when it came, which connector it was given and why (the earliest-occupied candidate it could
/// use), what the station did, and what was captured or voided.
/// </summary>
public static class ExplainCommand
{
    public static Command Create(CliConsole console)
    {
        var source = new AuditSource(console);
        var payment = new Option<string>("--payment") { Description = "the paymentId", Required = true };
        var command = new Command("explain", "the story of one payment: authorization, the connector chosen and why, the session, capture or void") { payment };
        source.AddTo(command);
        source.SetAction(command, async (result, cancellation) =>
        {
            var paymentId = result.GetValue(payment)!;
            await using var reader = source.Reader(result);
            if (await reader.StreamOfPayment(paymentId, cancellation) is not { } stream)
            {
                await console.Error.WriteLineAsync($"payment {paymentId} never reached a station group (an unknown terminal is voided by the payment adapter without a stream event)");
                return 1;
            }
            var topology = source.SiteTopology(result);
            var groupId = source.GroupNames(result).GetValueOrDefault(stream);
            var story = new List<string>();
            var state = GroupState.Empty;
            await foreach (var stored in reader.Read(stream, cancellation))
            {
                var e = stored.Data();
                if (Narrate(e, paymentId, state, groupId is null ? null : topology?.FindGroup(groupId)?.Tariff) is { } sentence)
                    story.Add($"{AuditCommands.Time(stored.Timestamp)}  {sentence}  [v{stored.Version}]");
                state = state.Evolve(e);
            }
            await console.Out.WriteLineAsync($"payment {paymentId}, {(groupId is null ? $"stream {stream}" : $"group {groupId}")}:");
            foreach (var line in story)
                await console.Out.WriteLineAsync(line);
            return 0;
        });
        return command;
    }

    /// <param name="before">The group's state just before <paramref name="e"/>: what the decision could see.</param>
    private static string? Narrate(IGroupEvent e, string paymentId, GroupState before, Domain.Topology.Tariff? tariff)
    {
        switch (e)
        {
            case PaymentAuthorizationReceived x when x.PaymentId == paymentId:
                var waiting = before.Candidates.Count == 0
                    ? "no connector was occupied, so the payment waited for one (rule 5)"
                    : $"{before.Candidates.Count} connector(s) were occupied and waiting: {Candidates(before.Candidates)}";
                var ahead = before.WaitingPayments.Count == 0 ? "" : $"; {before.WaitingPayments.Count} earlier payment(s) were waiting ahead of it (first come, first served)";
                return $"authorized at terminal {x.TerminalId} ({x.AuthorizedAt:u}), {EventText.Money(x.AmountMinor, x.Currency)} held; {waiting}{ahead}";
            case ChargingStartRequested x when x.PaymentId == paymentId:
                var mine = before.Waiting(paymentId);
                var usable = before.Candidates.Where(c => mine?.MayUse(c.Connector) != false).ToList();
                var excluded = mine is { Excluded.Count: > 0 } ? $"; not {string.Join(", ", mine.Excluded.Select(c => $"{c.ChargePointId}/{c.ConnectorId}"))}, which had already failed it" : "";
                var chosen = usable.Find(c => c.Connector == new ConnectorRef(x.ChargePointId, x.ConnectorId));
                return $"given connector {x.ChargePointId}/{x.ConnectorId}" +
                    (chosen is null ? "" : $", occupied since {AuditCommands.Time(chosen.OccupiedAt)}") +
                    $": of the {usable.Count} candidate(s) it could use ({Candidates(usable)}), the one occupied earliest (rule 6){excluded}; RemoteStartTransaction sent with idTag {x.IdTag}";
            case RemoteStartAccepted x when x.PaymentId == paymentId:
                return $"{x.ChargePointId} accepted the remote start on connector {x.ConnectorId}";
            case RemoteStartFailed x when x.PaymentId == paymentId:
                return $"{x.ChargePointId}/{x.ConnectorId} did not start ({x.Outcome}); the payment went back to waiting for the next candidate (rule 8)";
            case ChargingStarted x when x.PaymentId == paymentId:
                return $"charging started on {x.ChargePointId}/{x.ConnectorId}: transaction {x.TransactionId}, meter at {x.MeterStartWh} Wh";
            case ChargingStopped x when x.PaymentId == paymentId:
                return $"charging stopped: meter at {x.MeterStopWh} Wh, {x.EnergyWh} Wh delivered";
            case PaymentCaptureRequested x when x.PaymentId == paymentId:
                var held = before.SessionOf(paymentId)?.Payment.Amount.Minor;
                var priced = tariff is null
                    ? "at the group's tariff"
                    : $"{x.EnergyWh} Wh x {tariff.PricePerKwhMinor} {tariff.Currency} minor units per kWh = {Pricing.CaptureAmount(x.EnergyWh, tariff.PricePerKwhMinor, long.MaxValue)}, rounded half up";
                return $"capture of {EventText.Money(x.AmountMinor, x.Currency)} requested: {priced}" + (held is { } h ? $", never above the {h} held" : "") + $" (session {x.SessionId})";
            case PaymentVoidRequested x when x.PaymentId == paymentId:
                return $"void requested: {x.Reason} ({EventText.VoidMeaning(x.Reason)})";
            case PaymentCancelled x when x.PaymentId == paymentId:
                return "cancelled by the driver at the terminal before charging: dropped, no instruction";
            case ChargingStopRequested x when x.PaymentId == paymentId:
                return $"{x.ChargePointId}/{x.ConnectorId} started transaction {x.TransactionId} with this payment's idTag after it was cancelled, or where it no longer was: RemoteStopTransaction sent, nothing captured for it";
            case RemoteStartConfirmedLate x when x.PaymentId == paymentId:
                return $"{x.ChargePointId}/{x.ConnectorId} started with this payment's idTag after its start had been counted as failed (the answer went astray); the payment, still waiting, went back to it (rule 8)";
            case RemoteStartLost x when x.PaymentId == paymentId:
                return $"{x.ChargePointId} rebooted before charging began on connector {x.ConnectorId}: the start was lost, not refused; the payment waited again in its place, free to use that connector once it reported Preparing anew (rule 15)";
            case MeterReadingNoted x when x.PaymentId == paymentId:
                return $"meter reading kept: {x.MeterWh} Wh (rule 12: settles the session should its stop never be reported)";
            case ChargingOverdue x when x.PaymentId == paymentId:
                return $"charging since {AuditCommands.Time(x.ChargingSince)} without StopTransaction, past the bound: RemoteStopTransaction {x.TransactionId} sent (rule 12)";
            case ChargingEndedWithoutStop x when x.PaymentId == paymentId:
                return $"no StopTransaction came after the stop request: the session ended at the last meter reading held, {x.MeterStopWh} Wh, {x.EnergyWh} Wh delivered (rule 12)";
            default:
                return null;
        }
    }

    private static string Candidates(IEnumerable<Candidate> candidates) =>
        string.Join(", ", candidates.Select(c => $"{c.Connector.ChargePointId}/{c.Connector.ConnectorId} occupied {AuditCommands.Time(c.OccupiedAt)}"));
}
