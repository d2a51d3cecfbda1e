using System.Security.Claims;
using ChargeLink.Domain.Audit;
using ChargeLink.Orchestrator.OperatorConsole;
using ChargeLink.Orchestrator.Reading;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChargeLink.Orchestrator.Acting;

/// <summary>What an operator sends with an act: why (free text, shown in the audit).</summary>
public sealed record ActRequest(string? Reason);

/// <summary>An act taken on: the group decides it and records it with the operator's name.</summary>
public sealed record ActAccepted(string Act, string Operator, string? PaymentId);

/// <summary>
/// The write API, beside the read API and under the same credentials, for the operator role only (a viewer gets 403,
/// logged): each act is checked against what the read side knows (a 4xx with the reason, nothing sent), then sent to
/// the group's partition as any other input, where the decider has the last word and the stream the record.
/// </summary>
public static class OperatorActsApi
{
    /// <summary>A reason longer than this is refused: it is a note for the audit, not a document.</summary>
    public const int MaxReasonLength = 500;

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
        return app;
    }

    private static string? ReasonProblem(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "a reason is required: the audit says why"
        : reason.Length > MaxReasonLength ? $"a reason is at most {MaxReasonLength} characters"
        : null;
}
