namespace ChargeLink.Domain.Groups;

public static partial class GroupDecider
{
    // Rule 2: Preparing makes a candidate. Rule 7: leaving Preparing ends candidacy. Rules 13-14: a start not yet
    // charging ends when the car leaves or the connector fails. Rule 16: a Preparing during a session is kept for when
    // it ends. A report older than the last one applied for the connector (reordered on the way) is stale, and one that
    // repeats the connector's current status is no news: neither changes anything, so neither is recorded. A connector
    // outside the topology is no candidate and its reports change nothing. Rule 15: a connector kept for a payment
    // whose start a reboot lost frees the payment when the car has left (Available).
    private static List<IGroupEvent> OnConnectorStatus(
        GroupState state,
        ConnectorStatusReported fact,
        GroupPolicy policy
    )
    {
        var (station, connector) = (fact.Connector.ChargePointId, fact.Connector.ConnectorId);
        if (
            !policy.Serves(fact.Connector)
            || state.IsStale(fact.Connector, fact.ReceivedAt)
            || state.ReportOf(fact.Connector)?.Status == fact.Status
        )
            return [];
        var pinned = state.PinnedAt(fact.Connector);
        var isCandidate = state.IsCandidate(fact.Connector);
        var session = state.Sessions.GetValueOrDefault(fact.Connector);
        var notCharging = session is { Phase: SessionPhase.Requested or SessionPhase.Accepted };
        var noted = new ConnectorStatusNoted(station, connector, fact.Status, fact.ReceivedAt);
        return fact.Status switch
        {
            ConnectorStatus.Preparing when isCandidate => [],
            // Issue 29: out of service, a plug-in is noted and waits for the connector's return (Reinstate).
            ConnectorStatus.Preparing when state.IsOutOfService(fact.Connector) => [noted],
            ConnectorStatus.Preparing when session is null =>
            [
                new ConnectorOccupied(station, connector, fact.ReceivedAt, fact.StationTimestamp),
            ],
            ConnectorStatus.Available when notCharging =>
            [
                noted,
                new PaymentVoidRequested(session!.PaymentId, VoidReason.ChargingNotStarted, fact.ReceivedAt),
            ],
            ConnectorStatus.Available when pinned is not null =>
            [
                isCandidate ? new ConnectorVacated(station, connector, fact.Status, fact.ReceivedAt) : noted,
                new PaymentVoidRequested(pinned.PaymentId, VoidReason.ChargingNotStarted, fact.ReceivedAt),
            ],
            ConnectorStatus.Faulted or ConnectorStatus.Unavailable when notCharging =>
            [
                noted,
                new RemoteStartFailed(
                    session!.PaymentId,
                    station,
                    connector,
                    RemoteStartOutcome.ConnectorUnavailable,
                    fact.ReceivedAt
                ),
            ],
            not ConnectorStatus.Preparing when isCandidate =>
            [
                new ConnectorVacated(station, connector, fact.Status, fact.ReceivedAt),
            ],
            _ => [noted],
        };
    }

    // Rule 15: a reboot forgets the starts the station had not begun; their payments wait again.
    private static List<IGroupEvent> OnStationBoot(GroupState state, StationBootReported fact) =>
        [
            .. state
                .Sessions.Values.Where(s =>
                    s.Connector.ChargePointId == fact.ChargePointId
                    && s.Phase is SessionPhase.Requested or SessionPhase.Accepted
                )
                .OrderBy(s => s.PhaseSince)
                .ThenBy(s => s.Connector, ConnectorRef.Order)
                .Select(s => new RemoteStartLost(
                    s.PaymentId,
                    s.Connector.ChargePointId,
                    s.Connector.ConnectorId,
                    fact.ReceivedAt
                )),
        ];

    // Rule 16: a connector whose station last reported a Preparing that no session has charged on, and that carries no
    // session, is a candidate, in the place of that report. This is how a connector comes back after a start that was
    // cancelled or never began, how a re-plug that arrived while the previous session was still open takes effect, and
    // how a connector returned to service by an operator takes its place again (one out of service never does).
    private static IEnumerable<IGroupEvent> Reinstate(GroupState state) =>
        state
            .Reports.Where(r =>
                r.Value.IsFreshPreparing
                && !state.Sessions.ContainsKey(r.Key)
                && !state.IsCandidate(r.Key)
                && !state.IsOutOfService(r.Key)
            )
            .OrderBy(r => r.Value.Since)
            .ThenBy(r => r.Key, ConnectorRef.Order)
            .Select(r => new ConnectorOccupied(r.Key.ChargePointId, r.Key.ConnectorId, r.Value.Since, null));
}
