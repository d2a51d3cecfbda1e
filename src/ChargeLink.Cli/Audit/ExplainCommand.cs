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
        if (e.PaymentId != paymentId)
            return null;
        // Three events are told with what the group saw when they happened; every other in its own words.
        switch (e)
        {
            case PaymentAuthorizationReceived x:
                var waiting = before.Candidates.Count == 0
                    ? "no connector was occupied, so the payment waited for one (rule 5)"
                    : $"{before.Candidates.Count} connector(s) were occupied and waiting: {Candidates(before.Candidates)}";
                var ahead = before.WaitingPayments.Count == 0 ? "" : $"; {before.WaitingPayments.Count} earlier payment(s) were waiting ahead of it (first come, first served)";
                return $"authorized at terminal {x.TerminalId} ({x.AuthorizedAt:u}), {Money.Describe(x.AmountMinor, x.Currency)} held; {waiting}{ahead}";
            case ChargingStartRequested x:
                var mine = before.Waiting(paymentId);
                var usable = before.Candidates.Where(c => mine?.MayUse(c.Connector) != false).ToList();
                var excluded = mine is { Excluded.Count: > 0 } ? $"; not {string.Join(", ", mine.Excluded.Select(c => $"{c.ChargePointId}/{c.ConnectorId}"))}, which had already failed it" : "";
                var chosen = usable.Find(c => c.Connector == new ConnectorRef(x.ChargePointId, x.ConnectorId));
                return $"given connector {x.ChargePointId}/{x.ConnectorId}" +
                    (chosen is null ? "" : $", occupied since {AuditCommands.Time(chosen.OccupiedAt)}") +
                    $": of the {usable.Count} candidate(s) it could use ({Candidates(usable)}), the one occupied earliest (rule 6){excluded}; RemoteStartTransaction sent with idTag {x.IdTag}";
            case PaymentCaptureRequested x:
                var held = before.SessionOf(paymentId)?.Payment.Amount.Minor;
                var priced = tariff is null
                    ? "at the group's tariff"
                    : $"{x.EnergyWh} Wh x {tariff.PricePerKwhMinor} {tariff.Currency} minor units per kWh = {Pricing.CaptureAmount(x.EnergyWh, tariff.PricePerKwhMinor, long.MaxValue)}, rounded half up";
                return $"capture of {Money.Describe(x.AmountMinor, x.Currency)} requested: {priced}" + (held is { } h ? $", never above the {h} held" : "") + $" (session {x.SessionId})";
            default:
                var description = e.Describe();
                return $"{description.What}{(e.Connector is { } connector ? $" on {connector}" : "")}: {description.Detail}";
        }
    }

    private static string Candidates(IEnumerable<Candidate> candidates) =>
        string.Join(", ", candidates.Select(c => $"{c.Connector.ChargePointId}/{c.Connector.ConnectorId} occupied {AuditCommands.Time(c.OccupiedAt)}"));
}
