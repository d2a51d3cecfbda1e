using ChargeLink.Contracts;
using ChargeLink.Domain.Topology;
using ChargeLink.Orchestrator.EventStore;
using ChargeLink.Orchestrator.Sagas;

namespace ChargeLink.Orchestrator;

/// <summary>Read API: what a station group looks like now, folded from its stream.</summary>
public static class GroupsApi
{
    public static WebApplication MapGroupsApi(this WebApplication app)
    {
        app.MapGet("/groups/{groupId}", async (string groupId, SiteTopology topology, ISagaEventStore<StationGroupSaga> store, CancellationToken cancellation) =>
        {
            if (topology.FindGroup(groupId) is null)
                return Results.NotFound(new { error = $"no station group \"{groupId}\" in the topology" });
            var (saga, version) = await store.Load(GroupCorrelation.IdOf(groupId), cancellation);
            var state = saga?.State ?? Domain.Groups.GroupState.Empty;
            return Results.Ok(new
            {
                groupId,
                streamVersion = version,
                candidates = state.Candidates.Select(c => new { c.Connector.ChargePointId, c.Connector.ConnectorId, occupiedSince = c.OccupiedAt }),
                waitingPayments = state.WaitingPayments.Select(p => new { p.PaymentId, p.TerminalId, amountMinor = p.Amount.Minor, p.Amount.Currency, p.ReceivedAt }),
                sessions = state.Sessions.Values.Select(s => new { s.PaymentId, s.Connector.ChargePointId, s.Connector.ConnectorId, s.IdTag, phase = s.Phase.ToString(), since = s.PhaseSince, s.TransactionId }),
            });
        });
        return app;
    }
}
