using ChargeLink.Contracts;
using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;
using ChargeLink.PaymentAdapter.Outbound;
using MassTransit;

namespace ChargeLink.PaymentAdapter.Inbound;

/// <summary>
/// payment-cloud.authorizations: signature first, then shape, then terminal -> group. A valid authorization
/// becomes PaymentAuthorized; anything invalid throws <see cref="PaymentMessageRejectedException"/>, which
/// MassTransit moves to the dead-letter queue with the original bytes and headers and the reason.
/// The message is acknowledged only after its result was published (with confirms) or dead-lettered. It arrives on the
/// payment cloud's bus and is passed on through <paramref name="inside"/>, the bus on ChargeLink's own vhost.
/// </summary>
public sealed class AuthorizationConsumer(
    PaymentSignature signature,
    AuthorizationWindow window,
    SiteTopology topology,
    InstructionPublisher instructions,
    IBus inside,
    TimeProvider clock,
    ILogger<AuthorizationConsumer> logger) : IConsumer<RawPaymentCloudBody>
{
    public async Task Consume(ConsumeContext<RawPaymentCloudBody> context)
    {
        PaymentCloudMessage message;
        try
        {
            message = Validate(context.ReceiveContext.Body.GetBytes(), context.Headers.Get<string>(PaymentCloudQueues.SignatureHeader));
        }
        catch (PaymentMessageRejectedException rejected)
        {
            PaymentAdapterMetrics.DeadLettered.Add(1, new KeyValuePair<string, object?>("check", rejected.Check));
            logger.LogWarning("Payment cloud message {MessageId} refused by the {Check} check, dead-lettered to {DeadLetterQueue}: {Reason}",
                context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit.Properties.MessageId : null,
                rejected.Check, PaymentCloudQueues.AuthorizationsDeadLetter, rejected.Message);
            throw;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["PaymentId"] = message.PaymentId });
        switch (message)
        {
            case PaymentAuthorizedMessage authorized when topology.GroupOfTerminal(authorized.TerminalId) is { } group:
                await inside.Publish(
                    new PaymentAuthorized(group.Id, authorized.PaymentId, authorized.TerminalId, authorized.AmountMinor, authorized.Currency, authorized.AuthorizedAt, clock.GetUtcNow()),
                    send => send.MessageId = GroupCorrelation.CommandId(group.Id, "payment-authorized", authorized.PaymentId), context.CancellationToken);
                PaymentAdapterMetrics.Authorized.Add(1);
                logger.LogInformation("Payment {PaymentId} of {AmountMinor} {Currency} (card ****{CardLastFour}) authorized at terminal {TerminalId} of group {GroupId}",
                    authorized.PaymentId, authorized.AmountMinor, authorized.Currency, authorized.CardLastFour, authorized.TerminalId, group.Id);
                break;
            case PaymentAuthorizedMessage unknown:
                logger.LogWarning("Payment {PaymentId} names terminal {TerminalId}, which the topology does not know; voiding it", unknown.PaymentId, unknown.TerminalId);
                await instructions.Publish(new VoidInstruction(unknown.PaymentId, VoidReason.UnknownTerminal), context.CancellationToken);
                break;
            case PaymentCancelledMessage cancelled:
                await inside.Publish(new PaymentCancelledAtTerminal(cancelled.PaymentId, clock.GetUtcNow()),
                    send => send.MessageId = GroupCorrelation.CommandId("payment-cloud", "payment-cancelled", cancelled.PaymentId), context.CancellationToken);
                logger.LogInformation("Payment {PaymentId} cancelled at the terminal", cancelled.PaymentId);
                break;
        }
    }

    // Signature first: nothing of an unsigned body is read, not even to log it.
    private PaymentCloudMessage Validate(byte[] body, string? signatureHeader)
    {
        if (!signature.Verify(body, signatureHeader))
            throw new PaymentMessageRejectedException($"signature: {PaymentCloudQueues.SignatureHeader} is missing or does not match the body", RejectionCheck.Signature);
        var message = PaymentCloudMessageParser.Parse(body);
        if (message is PaymentAuthorizedMessage authorized)
            window.Check(authorized.AuthorizedAt, clock.GetUtcNow());
        return message;
    }
}
