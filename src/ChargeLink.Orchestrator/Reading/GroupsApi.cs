using ChargeLink.Domain.Audit;
using ChargeLink.Domain.Topology;
using ChargeLink.ServiceDefaults;
using Marten;

namespace ChargeLink.Orchestrator.Reading;

/// <summary>
/// Read API over the read models kept beside the group streams (GroupSummary, PaymentRecord): what each group
/// looks like now, its sessions, and the story of each payment. JSON; times are RFC 3339.
/// </summary>
public static class GroupsApi
{
    private const int MaxSessions = 1000;

    public static WebApplication MapGroupsApi(this WebApplication app)
    {
        // Payment data: the operator's only (OperatorConsole/OperatorAuthentication).
        var api = app.MapGroup("").RequireAuthorization();
        api.MapGet("/groups", async (SiteTopology topology, IQuerySession session, StationPresenceReader presence, TimeProvider clock, CancellationToken cancellation) =>
        {
            var online = await presence.Of([.. topology.Groups.SelectMany(g => g.Stations).Select(s => s.ChargePointId)], cancellation);
            var summaries = (await session.LoadManyAsync<GroupSummary>(cancellation, topology.Groups.Select(g => g.Id).ToArray())).ToDictionary(s => s.GroupId);
            // Today is the UTC day: sessions started in it, and what their captures came to.
            var today = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
            var sessionsToday = (await session.Query<PaymentRecord>().Where(p => p.StartedAt >= today).ToListAsync(cancellation))
                .GroupBy(p => p.GroupId).ToDictionary(g => g.Key, g => (Count: g.Count(), CapturedMinor: g.Sum(p => p.CapturedMinor ?? 0)));
            return Results.Ok(topology.Groups.Select(g =>
            {
                var summary = summaries.GetValueOrDefault(g.Id);
                var connectors = summary?.Connectors ?? [];
                var day = sessionsToday.GetValueOrDefault(g.Id);
                return new
                {
                    groupId = g.Id,
                    g.Name,
                    terminals = g.Terminals,
                    stations = g.Stations.Count,
                    connectors = g.Stations.Sum(s => s.Connectors.Count),
                    streamVersion = summary?.Version ?? 0,
                    occupied = connectors.Count(c => c.State == "Occupied"),
                    starting = connectors.Count(c => c.State == "Starting"),
                    charging = connectors.Count(c => c.State == "Charging"),
                    available = connectors.Count(c => c.State == "Available"),
                    faultedOrUnavailable = connectors.Count(c => c.State is "Faulted" or "Unavailable"),
                    offlineStations = g.Stations.Count(s => !online[s.ChargePointId].Online),
                    waitingPayments = summary?.WaitingPayments.Count ?? 0,
                    sessions = summary?.Sessions.Count ?? 0,
                    sessionsToday = day.Count,
                    capturedTodayMinor = day.CapturedMinor,
                    currency = g.Tariff.Currency,
                };
            }));
        });

        api.MapGet("/groups/{groupId}", async (string groupId, SiteTopology topology, IQuerySession session, StationPresenceReader presence, ChargeLinkSettings settings, CancellationToken cancellation) =>
        {
            if (topology.FindGroup(groupId) is not { } group)
                return Results.NotFound(new { error = $"no station group \"{groupId}\" in the topology" });
            var summary = await session.LoadAsync<GroupSummary>(groupId, cancellation);
            var known = (summary?.Connectors ?? []).ToDictionary(c => (c.ChargePointId, c.ConnectorId));
            var online = await presence.Of([.. group.Stations.Select(s => s.ChargePointId)], cancellation);
            return Results.Ok(new
            {
                groupId,
                group.Name,
                tariff = group.Tariff,
                paymentWaitSeconds = (int)settings.PaymentWait.TotalSeconds,
                streamVersion = summary?.Version ?? 0,
                // Whether each station is connected to a gateway now, as the gateways record it.
                stations = group.Stations.Select(s => online[s.ChargePointId]),
                // Every connector of the topology; one no event has described yet is Unknown.
                connectors = group.Stations.SelectMany(s => s.Connectors.Select(c => known.GetValueOrDefault((s.ChargePointId, c))
                    is { } view ? new { view.ChargePointId, view.ConnectorId, view.State, since = (DateTimeOffset?)view.Since } : new { s.ChargePointId, ConnectorId = c, State = "Unknown", since = (DateTimeOffset?)null })),
                waitingPayments = summary?.WaitingPayments ?? [],
                sessions = summary?.Sessions ?? [],
            });
        });

        api.MapGet("/sessions", async (string? group, DateTimeOffset? from, DateTimeOffset? to, IQuerySession session, CancellationToken cancellation) =>
        {
            var query = session.Query<PaymentRecord>().Where(p => p.StartedAt != null);
            if (group is not null)
                query = query.Where(p => p.GroupId == group);
            if (from is { } start)
                query = query.Where(p => p.StartedAt >= start);
            if (to is { } end)
                query = query.Where(p => p.StartedAt < end);
            var sessions = await query.OrderBy(p => p.StartedAt).Take(MaxSessions).ToListAsync(cancellation);
            return Results.Ok(sessions.Select(p => new
            {
                p.SessionId,
                p.GroupId,
                p.ChargePointId,
                p.ConnectorId,
                p.TransactionId,
                p.PaymentId,
                p.StartedAt,
                p.StoppedAt,
                p.EnergyWh,
                status = p.Status.ToString(),
                p.CapturedMinor,
                p.Currency,
            }));
        });

        api.MapGet("/payments/{paymentId}", async (string paymentId, IQuerySession session, CancellationToken cancellation) =>
            await session.LoadAsync<PaymentRecord>(paymentId, cancellation) is { } payment
                ? Results.Ok(payment)
                : Results.NotFound(new { error = $"no payment \"{paymentId}\" has reached a station group" }));
        return app;
    }
}
