using ChargeLink.Orchestrator.Reading;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChargeLink.Orchestrator.Acting;

/// <summary>
/// An operator's act on a station or one of its connectors, as every such endpoint takes it: checked (a reason, an act
/// id's shape, a group, station and connector of the topology; 4xx with the reason, nothing sent), logged with the
/// operator's name, and sent to the group's partition, which records it and sends the station its command.
/// </summary>
public sealed class StationActs(
    IHttpContextAccessor http,
    SiteTopology topology,
    IPublishEndpoint publisher,
    TimeProvider clock,
    ILogger<StationActs> logger
)
{
    // Conflict is the payment acts' (a stop of a session that no longer charges); the checks here never answer it.
    public async Task<Results<Accepted<ActAccepted>, BadRequest<ApiError>, NotFound<ApiError>, Conflict<ApiError>>> Do(
        string act,
        string groupId,
        string chargePointId,
        int? connectorId,
        string? option,
        ActRequest request,
        string? paymentId = null,
        int? transactionId = null
    )
    {
        if (
            (OperatorActsApi.ReasonProblem(request.Reason) ?? OperatorActsApi.ActIdProblem(request.ActId)) is
            { } problem
        )
            return TypedResults.BadRequest(new ApiError(problem));
        if (OperatorActsApi.WhereProblem(topology, groupId, chargePointId, connectorId) is { } missing)
            return TypedResults.NotFound(new ApiError(missing));
        var user = http.HttpContext!.User;
        var name = user.Identity!.Name!;
        var actId = request.ActId ?? Guid.NewGuid().ToString("N");
        logger.LogWarning(
            "Operator {Operator}: {Act} {Option} on {ChargePointId}/{ConnectorId} of group {GroupId} (act {ActId}): "
                + "{Reason}",
            name,
            act,
            option,
            chargePointId,
            connectorId,
            groupId,
            actId,
            request.Reason
        );
        await publisher.Publish(
            new OperatorStationActRequested(
                groupId,
                actId,
                act,
                name,
                request.Reason!.Trim(),
                chargePointId,
                connectorId,
                clock.GetUtcNow(),
                paymentId,
                transactionId,
                option
            ),
            http.HttpContext.RequestAborted
        );
        return TypedResults.Accepted(
            paymentId is null
                ? $"/groups/{Uri.EscapeDataString(groupId)}"
                : $"/payments/{Uri.EscapeDataString(paymentId)}",
            new ActAccepted(act, name, paymentId, actId)
        );
    }
}
