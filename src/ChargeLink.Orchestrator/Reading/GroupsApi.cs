using ChargeLink.Domain.Audit;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChargeLink.Orchestrator.Reading;

/// <summary>
/// Read API over the read models kept beside the group streams (GroupSummary, PaymentRecord): what each group looks
/// like now, its sessions, its last settled payments, and each payment's record and story (as `chargelink audit
/// explain` tells it). Every read of the orchestrator's HTTP side is here; the console's page uses these. JSON; times
/// are RFC 3339.
/// </summary>
public static class GroupsApi
{
    private const int MaxSessions = 1000;
    private const int MaxSettled = 50;

    public static WebApplication MapGroupsApi(this WebApplication app)
    {
        // Payment data: the operator's only (OperatorConsole/OperatorAuthentication).
        var api = app.MapGroup("").RequireAuthorization();
        api.MapGet(
                "/groups",
                async (
                    SiteTopology topology,
                    IQuerySession session,
                    StationPresenceReader presence,
                    TimeProvider clock,
                    CancellationToken cancellation
                ) =>
                {
                    var summaries = (
                        await session.LoadManyAsync<GroupSummary>(
                            cancellation,
                            topology.Groups.Select(g => g.Id).ToArray()
                        )
                    ).ToDictionary(s => s.GroupId);
                    var online = await presence.Of(
                        [.. topology.Groups.SelectMany(g => g.Stations).Select(s => s.ChargePointId)],
                        cancellation
                    );
                    // Today is the UTC day: sessions started in it, and what their captures came to.
                    var today = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
                    var sessionsToday = (
                        await session.Query<PaymentRecord>().Where(p => p.StartedAt >= today).ToListAsync(cancellation)
                    )
                        .GroupBy(p => p.GroupId)
                        .ToDictionary(
                            g => g.Key,
                            g => (Count: g.Count(), CapturedMinor: g.Sum(p => p.CapturedMinor ?? 0))
                        );
                    return TypedResults.Ok(
                        topology
                            .Groups.Select(g =>
                            {
                                var summary = summaries.GetValueOrDefault(g.Id);
                                var connectors = summary?.Connectors ?? [];
                                var day = sessionsToday.GetValueOrDefault(g.Id);
                                return new GroupOverview(
                                    g.Id,
                                    g.Name,
                                    g.Terminals,
                                    g.Stations.Count,
                                    g.Stations.Sum(s => s.Connectors.Count),
                                    summary?.Version ?? 0,
                                    Occupied: connectors.Count(c => c.State == "Occupied"),
                                    Starting: connectors.Count(c => c.State == "Starting"),
                                    Charging: connectors.Count(c => c.State == "Charging"),
                                    Available: connectors.Count(c => c.State == "Available"),
                                    FaultedOrUnavailable: connectors.Count(c => c.State is "Faulted" or "Unavailable"),
                                    OfflineStations: g.Stations.Count(s => !online[s.ChargePointId].Online),
                                    WaitingPayments: summary?.WaitingPayments.Count ?? 0,
                                    Sessions: summary?.Sessions.Count ?? 0,
                                    SessionsToday: day.Count,
                                    CapturedTodayMinor: day.CapturedMinor,
                                    Currency: g.Tariff.Currency
                                );
                            })
                            .ToList()
                    );
                }
            )
            .WithSummary("Every station group of the topology with its counts.");

        api.MapGet(
                "/groups/{groupId}",
                async Task<Results<Ok<GroupNow>, NotFound<ApiError>>> (
                    string groupId,
                    SiteTopology topology,
                    IQuerySession session,
                    StationPresenceReader presence,
                    ChargeLinkSettings settings,
                    CancellationToken cancellation
                ) =>
                {
                    if (topology.FindGroup(groupId) is not { } group)
                        return TypedResults.NotFound(new ApiError($"no station group \"{groupId}\" in the topology"));
                    var summary = await session.LoadAsync<GroupSummary>(groupId, cancellation);
                    var known = (summary?.Connectors ?? []).ToDictionary(c => (c.ChargePointId, c.ConnectorId));
                    var online = await presence.Of([.. group.Stations.Select(s => s.ChargePointId)], cancellation);
                    return TypedResults.Ok(
                        new GroupNow(
                            groupId,
                            group.Name,
                            group.Tariff,
                            (int)settings.PaymentWait.TotalSeconds,
                            summary?.Version ?? 0,
                            // Whether each station is connected to a gateway now, as the gateways record it.
                            [.. group.Stations.Select(s => online[s.ChargePointId])],
                            // Every connector of the topology; one no event has described yet is Unknown.
                            [
                                .. group.Stations.SelectMany(s =>
                                    s.Connectors.Select(c =>
                                        known.GetValueOrDefault((s.ChargePointId, c)) is { } view
                                            ? new ConnectorNow(
                                                view.ChargePointId,
                                                view.ConnectorId,
                                                view.State,
                                                view.Since,
                                                view.OutOfService
                                            )
                                            : new ConnectorNow(s.ChargePointId, c, "Unknown", null)
                                    )
                                ),
                            ],
                            summary?.WaitingPayments ?? [],
                            summary?.Sessions ?? [],
                            summary?.RecentActs ?? []
                        )
                    );
                }
            )
            .WithSummary(
                "A group now: its stations' presence, each connector's state and since when (and who took it out "
                    + "of service), the payments waiting, the sessions running and the operators' last acts."
            );

        api.MapGet(
                "/sessions",
                async (
                    string? group,
                    DateTimeOffset? from,
                    DateTimeOffset? to,
                    IQuerySession session,
                    CancellationToken cancellation
                ) =>
                {
                    var query = session.Query<PaymentRecord>().Where(p => p.StartedAt != null);
                    if (group is not null)
                        query = query.Where(p => p.GroupId == group);
                    if (from is { } start)
                        query = query.Where(p => p.StartedAt >= start);
                    if (to is { } end)
                        query = query.Where(p => p.StartedAt < end);
                    var sessions = await query.OrderBy(p => p.StartedAt).Take(MaxSessions).ToListAsync(cancellation);
                    return TypedResults.Ok(
                        sessions
                            .Select(p => new SessionRow(
                                p.SessionId,
                                p.GroupId,
                                p.ChargePointId,
                                p.ConnectorId,
                                p.TransactionId,
                                p.PaymentId,
                                p.StartedAt,
                                p.StoppedAt,
                                p.EnergyWh,
                                p.Status.ToString(),
                                p.CapturedMinor,
                                p.Currency
                            ))
                            .ToList()
                    );
                }
            )
            .WithSummary(
                $"Sessions by start time, optionally of one group and between two times (at most {MaxSessions})."
            );

        api.MapGet(
                "/payments/{paymentId}",
                async Task<Results<Ok<PaymentRecord>, NotFound<ApiError>>> (
                    string paymentId,
                    IQuerySession session,
                    CancellationToken cancellation
                ) =>
                    await session.LoadAsync<PaymentRecord>(paymentId, cancellation) is { } payment
                        ? TypedResults.Ok(payment)
                        : TypedResults.NotFound(new ApiError($"no payment \"{paymentId}\" has reached a station group"))
            )
            .WithSummary(
                "One payment's record, from authorization to capture or void (404 if it never reached a group)."
            );

        api.MapGet(
                "/groups/{groupId}/settled",
                async Task<Results<Ok<List<SettledPayment>>, NotFound<ApiError>>> (
                    string groupId,
                    int? limit,
                    SiteTopology topology,
                    IQuerySession session,
                    CancellationToken cancellation
                ) =>
                {
                    if (topology.FindGroup(groupId) is null)
                        return TypedResults.NotFound(new ApiError($"no station group \"{groupId}\" in the topology"));
                    var settled = await session
                        .Query<PaymentRecord>()
                        .Where(p => p.GroupId == groupId && p.SettledAt != null)
                        .OrderByDescending(p => p.SettledAt)
                        .Take(Math.Clamp(limit ?? 10, 1, MaxSettled))
                        .ToListAsync(cancellation);
                    return TypedResults.Ok(
                        settled
                            .Select(p => new SettledPayment(
                                p.PaymentId,
                                p.Status.ToString(),
                                p.SettledAt!.Value,
                                p.ChargePointId,
                                p.ConnectorId,
                                p.EnergyWh,
                                p.CapturedMinor,
                                p.HeldMinor,
                                p.Currency,
                                p.VoidReason,
                                p.VoidReason is { } reason ? VoidReason.Meaning(reason) : null
                            ))
                            .ToList()
                    );
                }
            )
            .WithSummary(
                "A group's last settled payments, newest first: captured with the amount, voided "
                    + "with the reason in the contract's word and in an operator's."
            );

        api.MapGet(
                "/payments/{paymentId}/story",
                async Task<Results<Ok<PaymentStoryView>, NotFound<ApiError>>> (
                    string paymentId,
                    SiteTopology topology,
                    IQuerySession session,
                    CancellationToken cancellation
                ) =>
                {
                    if (await session.LoadAsync<PaymentRecord>(paymentId, cancellation) is not { } payment)
                        return TypedResults.NotFound(
                            new ApiError($"no payment \"{paymentId}\" has reached a station group")
                        );
                    var events = await session.Events.FetchStreamAsync(payment.StreamId, token: cancellation);
                    var story = PaymentStory.Tell(
                        events.Select(e => ((IGroupEvent)e.Data, e.Timestamp, e.Version)),
                        paymentId,
                        topology.FindGroup(payment.GroupId)?.Tariff
                    );
                    return TypedResults.Ok(new PaymentStoryView(payment, story));
                }
            )
            .WithSummary(
                "A payment's record and its story, told from its group's events as `chargelink audit explain` tells it."
            );
        return app;
    }
}
