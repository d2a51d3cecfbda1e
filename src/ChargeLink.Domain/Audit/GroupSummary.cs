using ChargeLink.Domain.Groups;

namespace ChargeLink.Domain.Audit;

/// <summary>A connector as the group's events last described it.</summary>
/// <param name="State">Occupied (a candidate), Starting, Charging, Finishing, or the last OCPP status reported.</param>
public sealed record ConnectorView(string ChargePointId, int ConnectorId, string State, DateTimeOffset Since);

public sealed record WaitingPaymentView(string PaymentId, string TerminalId, long HeldMinor, string Currency, DateTimeOffset ReceivedAt);

public sealed record SessionView(string PaymentId, string ChargePointId, int ConnectorId, string Phase, DateTimeOffset Since, int? TransactionId);

/// <summary>
/// A station group now: its connectors, the payments that wait and the sessions that run, at a stream version.
/// A fold of the group's events (<see cref="GroupSummaries.Evolve"/>), kept beside the stream for reads and
/// rebuilt from the events by an audit replay.
/// </summary>
public sealed record GroupSummary(
    string GroupId,
    Guid StreamId,
    long Version,
    IReadOnlyList<ConnectorView> Connectors,
    IReadOnlyList<WaitingPaymentView> WaitingPayments,
    IReadOnlyList<SessionView> Sessions)
{
    public static GroupSummary Empty(string groupId, Guid streamId) => new(groupId, streamId, 0, [], [], []);
}

public static class GroupSummaries
{
    /// <param name="state">The group's state after <paramref name="e"/> (the saga's, or a replay's fold).</param>
    public static GroupSummary Evolve(GroupSummary current, IGroupEvent e, GroupState state) => current with
    {
        Version = current.Version + 1,
        Connectors = Connector(e, state) is { } changed
            ? [.. current.Connectors.Where(c => (c.ChargePointId, c.ConnectorId) != (changed.ChargePointId, changed.ConnectorId)).Append(changed)
                .OrderBy(c => c.ChargePointId, StringComparer.Ordinal).ThenBy(c => c.ConnectorId)]
            : current.Connectors,
        WaitingPayments = [.. state.WaitingPayments.Select(p => new WaitingPaymentView(p.PaymentId, p.TerminalId, p.Amount.Minor, p.Amount.Currency, p.ReceivedAt))],
        Sessions = [.. state.Sessions.Values
            .OrderBy(s => s.Connector.ChargePointId, StringComparer.Ordinal).ThenBy(s => s.Connector.ConnectorId)
            .Select(s => new SessionView(s.PaymentId, s.Connector.ChargePointId, s.Connector.ConnectorId, s.Phase.ToString(), s.PhaseSince, s.TransactionId))],
    };

    private static ConnectorView? Connector(IGroupEvent e, GroupState state) => e switch
    {
        ConnectorOccupied x => new(x.ChargePointId, x.ConnectorId, "Occupied", x.OccupiedAt),
        ConnectorVacated x => new(x.ChargePointId, x.ConnectorId, x.Status.ToString(), x.At),
        ConnectorStatusNoted x => new(x.ChargePointId, x.ConnectorId, x.Status.ToString(), x.At),
        ChargingStartRequested x => new(x.ChargePointId, x.ConnectorId, "Starting", x.RequestedAt),
        RemoteStartFailed x => state.Candidates.Find(c => c.Connector == new ConnectorRef(x.ChargePointId, x.ConnectorId)) is { } still
            ? new(x.ChargePointId, x.ConnectorId, "Occupied", still.OccupiedAt)
            : new(x.ChargePointId, x.ConnectorId, $"Start failed ({x.Outcome})", x.At),
        ChargingStarted x => new(x.ChargePointId, x.ConnectorId, "Charging", x.At),
        ChargingStopped x => new(x.ChargePointId, x.ConnectorId, "Finishing", x.At),
        _ => null,
    };
}
