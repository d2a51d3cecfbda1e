using System.Security.Claims;
using ChargeLink.Domain.Audit;
using ChargeLink.Orchestrator.OperatorConsole;
using ChargeLink.Orchestrator.Reading;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChargeLink.Orchestrator.Acting;

/// <summary>What an operator sends with an act: why (free text, shown in the audit), and for an act on a station the
/// act's id (1-64 letters, digits, '-' or '_'; the console makes one per confirmation, so that a double submission does
/// one thing; one is made when none is given).</summary>
public sealed record ActRequest(string? Reason, string? ActId = null, bool Hard = false);

/// <summary>An act taken on: the group decides it and records it with the operator's name.</summary>
public sealed record ActAccepted(string Act, string Operator, string? PaymentId, string? ActId = null);

/// <summary>
/// The write API, beside the read API and under the same credentials, for the operator role only (a viewer gets 403,
/// logged): each act is checked against what the read side knows (a 4xx with the reason, nothing sent), then sent to
/// the group's partition as any other input, where the decider has the last word and the stream the record.
/// </summary>
public static class OperatorActsApi
{
    /// <summary>A reason longer than this is refused: it is a note for the audit, not a document.</summary>
    public const int MaxReasonLength = 500;

    // The acts on one connector: the path's last segment, the act, what it does. Each goes on the group's record with
    // the operator's name and reason, then the station's answer; an offline station answers Offline at once.
    private static readonly (string Path, string Act, string Summary)[] ConnectorActs =
    [
        ("unlock", OperatorActs.UnlockConnector, "Unlock a connector (UnlockConnector, 2.x with its EVSE)."),
        (
            "trigger-status",
            OperatorActs.TriggerStatus,
            "Ask for a fresh StatusNotification of a connector (TriggerMessage); the status arrives as any other."
        ),
        (
            "out-of-service",
            OperatorActs.TakeOutOfService,
            "Take a connector out of service (ChangeAvailability Inoperative, 2.x its EVSE): from the act on it is "
                + "never chosen for a payment, whatever the station answers, until returned to service."
        ),
        (
            "in-service",
            OperatorActs.ReturnToService,
            "Return a connector to service (ChangeAvailability Operative): chosen again when it reports a car."
        ),
    ];

    public static WebApplication MapOperatorActs(this WebApplication app)
    {
        var acts = app.MapGroup("").RequireAuthorization(OperatorAuthentication.ActingPolicy);

        acts.MapPost(
                "/payments/{paymentId}/void",
                async Task<
                    Results<Accepted<ActAccepted>, BadRequest<ApiError>, NotFound<ApiError>, Conflict<ApiError>>
                > (
                    string paymentId,
                    ActRequest act,
                    ClaimsPrincipal user,
                    IQuerySession session,
                    IPublishEndpoint publisher,
                    TimeProvider clock,
                    ILogger<ActAccepted> logger,
                    CancellationToken cancellation
                ) =>
                {
                    if (ReasonProblem(act.Reason) is { } problem)
                        return TypedResults.BadRequest(new ApiError(problem));
                    if (await session.LoadAsync<PaymentRecord>(paymentId, cancellation) is not { } payment)
                        return TypedResults.NotFound(
                            new ApiError($"no payment \"{paymentId}\" has reached a station group")
                        );
                    if (payment.Status != PaymentStatus.Waiting)
                        return TypedResults.Conflict(
                            new ApiError(
                                $"payment \"{paymentId}\" is {payment.Status}, not waiting for a connector: only a "
                                    + "waiting payment is voided by an operator"
                            )
                        );
                    var name = user.Identity!.Name!;
                    logger.LogWarning(
                        "Operator {Operator} voids payment {PaymentId} of group {GroupId}: {Reason}",
                        name,
                        paymentId,
                        payment.GroupId,
                        act.Reason
                    );
                    await publisher.Publish(
                        new OperatorVoidRequested(
                            payment.GroupId,
                            paymentId,
                            name,
                            act.Reason!.Trim(),
                            clock.GetUtcNow()
                        ),
                        cancellation
                    );
                    return TypedResults.Accepted(
                        $"/payments/{Uri.EscapeDataString(paymentId)}",
                        new ActAccepted(OperatorActs.VoidPayment, name, paymentId)
                    );
                }
            )
            .WithSummary(
                "Void a payment that waits for a connector (the driver gave up): reason voided-by-operator, with the "
                    + "operator's name and reason on the record; 409 once it started or settled. Operator role."
            );
        acts.MapPost(
                "/payments/{paymentId}/stop",
                async Task<
                    Results<Accepted<ActAccepted>, BadRequest<ApiError>, NotFound<ApiError>, Conflict<ApiError>>
                > (
                    string paymentId,
                    ActRequest act,
                    IQuerySession session,
                    StationActs station,
                    CancellationToken cancellation
                ) =>
                {
                    if (await session.LoadAsync<PaymentRecord>(paymentId, cancellation) is not { } payment)
                        return TypedResults.NotFound(
                            new ApiError($"no payment \"{paymentId}\" has reached a station group")
                        );
                    if (
                        payment
                        is not
                        {
                            Status: PaymentStatus.Charging,
                            StoppedAt: null,
                            ChargePointId: { } chargePointId,
                            ConnectorId: { } connector,
                            TransactionId: { } transaction,
                        }
                    )
                        return TypedResults.Conflict(
                            new ApiError(
                                $"payment \"{paymentId}\" is {payment.Status}"
                                    + (payment.StoppedAt is null ? "" : ", its session stopped")
                                    + ": only a charging session is stopped by an operator"
                            )
                        );
                    return await station.Do(
                        OperatorActs.StopSession,
                        payment.GroupId,
                        chargePointId,
                        connector,
                        null,
                        act,
                        paymentId,
                        transaction
                    );
                }
            )
            .WithSummary(
                "Stop a charging session (RemoteStopTransaction, 2.x RequestStopTransaction): the act and the "
                    + "station's answer go on the record; the session settles by the usual rules from the station's "
                    + "own readings. 409 unless charging. Operator role."
            );

        foreach (var (path, act, summary) in ConnectorActs)
            acts.MapPost(
                    $"/groups/{{groupId}}/stations/{{chargePointId}}/connectors/{{connectorId:int}}/{path}",
                    (string groupId, string chargePointId, int connectorId, ActRequest request, StationActs station) =>
                        station.Do(act, groupId, chargePointId, connectorId, null, request)
                )
                .WithSummary(summary + " Operator role.");
        acts.MapPost(
                "/groups/{groupId}/stations/{chargePointId}/reset",
                (string groupId, string chargePointId, ActRequest act, StationActs station) =>
                    station.Do(OperatorActs.ResetStation, groupId, chargePointId, null, act.Hard ? "hard" : "soft", act)
            )
            .WithSummary(
                "Reset a station (1.6 Reset Soft/Hard, 2.x OnIdle/Immediate; \"hard\": true for Hard/Immediate): "
                    + "the act and the station's answer go on the record; the reboot that follows is handled as any "
                    + "other. Operator role."
            );
        return app;
    }

    internal static string? WhereProblem(SiteTopology topology, string groupId, string chargePointId, int? connectorId)
    {
        if (topology.FindGroup(groupId) is null)
            return $"no station group \"{groupId}\" in the topology";
        if (topology.FindStation(chargePointId) is not { } found || found.Group.Id != groupId)
            return $"no station \"{chargePointId}\" in group \"{groupId}\"";
        return connectorId is not { } connector || found.Station.HasConnector(connector)
            ? null
            : $"station \"{chargePointId}\" has no connector {connector}";
    }

    internal static string? ActIdProblem(string? actId) =>
        actId is null
        || (actId.Length is >= 1 and <= 64 && actId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            ? null
            : "an actId is 1-64 letters, digits, '-' or '_'";

    internal static string? ReasonProblem(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "a reason is required: the audit says why"
        : reason.Length > MaxReasonLength ? $"a reason is at most {MaxReasonLength} characters"
        : null;
}
