using System.Globalization;
using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;

namespace ChargeLink.Domain.Audit;

/// <summary>One sentence of a payment's story: when, what, at which stream version.</summary>
public sealed record StoryLine(DateTimeOffset At, string Text, long Version);

/// <summary>
/// The story of one payment in plain words, from its group's events alone: what was waiting when it came, which
/// connector it was given and why (the earliest-occupied candidate it could use), what the station did, and what was
/// captured or voided. Told by `chargelink audit explain` and by the operator's console alike.
/// </summary>
public static class PaymentStory
{
    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <param name="stream">The group's whole stream in order: the story needs the state each decision saw.</param>
    public static IReadOnlyList<StoryLine> Tell(
        IEnumerable<(IGroupEvent Event, DateTimeOffset At, long Version)> stream,
        string paymentId,
        Tariff? tariff
    )
    {
        var story = new List<StoryLine>();
        var state = GroupState.Empty;
        foreach (var (e, at, version) in stream)
        {
            if (Narrate(e, paymentId, state, tariff) is { } sentence)
                story.Add(new StoryLine(at, sentence, version));
            state = state.Evolve(e);
        }
        return story;
    }

    /// <param name="before">The group's state just before <paramref name="e"/>: what the decision could see.</param>
    private static string? Narrate(IGroupEvent e, string paymentId, GroupState before, Tariff? tariff)
    {
        if (e.PaymentId != paymentId)
            return null;
        // Three events are told with what the group saw when they happened; every other in its own words.
        switch (e)
        {
            case PaymentAuthorizationReceived x:
                var waiting =
                    before.Candidates.Length == 0
                        ? "no connector was occupied, so the payment waited for one (rule 5)"
                        : $"{before.Candidates.Length} connector(s) were occupied and waiting: "
                            + $"{Candidates(before.Candidates)}";
                var ahead =
                    before.WaitingPayments.Length == 0
                        ? ""
                        : $"; {before.WaitingPayments.Length} earlier payment(s) were waiting ahead of it "
                            + "(first come, first served)";
                return $"authorized at terminal {x.TerminalId} ({x.AuthorizedAt:u}), "
                    + $"{Money.Describe(x.AmountMinor, x.Currency)} held; {waiting}{ahead}";
            case ChargingStartRequested x:
                var mine = before.Waiting(paymentId);
                var usable = before.Candidates.Where(c => mine?.MayUse(c.Connector) != false).ToList();
                var excluded = mine is { Excluded.Count: > 0 }
                    ? "; not "
                        + $"{string.Join(", ", mine.Excluded.Select(c => $"{c.ChargePointId}/{c.ConnectorId}"))}, "
                        + "which had already failed it"
                    : "";
                var chosen = usable.Find(c => c.Connector == new ConnectorRef(x.ChargePointId, x.ConnectorId));
                return $"given connector {x.ChargePointId}/{x.ConnectorId}"
                    + (chosen is null ? "" : $", occupied since {Time(chosen.OccupiedAt)}")
                    + $": of the {usable.Count} candidate(s) it could use ({Candidates(usable)}), the "
                    + $"one occupied earliest (rule 6){excluded}; RemoteStartTransaction sent with idTag "
                    + $"{x.IdTag}";
            case PaymentCaptureRequested x:
                var held = before.SessionOf(paymentId)?.Payment.Amount.Minor;
                var priced = tariff is null
                    ? "at the group's tariff"
                    : $"{x.EnergyWh} Wh x {tariff.PricePerKwhMinor} {tariff.Currency} minor units per "
                        + "kWh = "
                        + $"{Pricing.CaptureAmount(x.EnergyWh, tariff.PricePerKwhMinor, long.MaxValue)}, "
                        + "rounded half up";
                return $"capture of {Money.Describe(x.AmountMinor, x.Currency)} requested: {priced}"
                    + (held is { } h ? $", never above the {h} held" : "")
                    + $" (session {x.SessionId})";
            default:
                var description = e.Describe();
                return $"{description.What}{(e.Connector is { } connector ? $" on {connector}" : "")}: "
                    + $"{description.Detail}";
        }
    }

    private static string Candidates(IEnumerable<Candidate> candidates) =>
        string.Join(
            ", ",
            candidates.Select(c =>
                $"{c.Connector.ChargePointId}/{c.Connector.ConnectorId} occupied {Time(c.OccupiedAt)}"
            )
        );
}
