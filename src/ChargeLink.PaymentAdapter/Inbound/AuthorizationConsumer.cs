using ChargeLink.Contracts;
using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;
using ChargeLink.PaymentAdapter.Holds;
using ChargeLink.PaymentAdapter.Outbound;
using MassTransit;

namespace ChargeLink.PaymentAdapter.Inbound;

/// <summary>
/// payment-cloud.authorizations: signature first, then shape, then terminal -> group, then the hold (the group tariff's
/// currency, at most the maximum hold). A valid authorization is recorded (<see cref="HoldLedger"/>) and becomes
/// PaymentAuthorized; anything invalid throws <see cref="PaymentMessageRejectedException"/>, which
/// MassTransit moves to the dead-letter queue with the original bytes and headers and the reason.
/// The message is acknowledged only after its result was published (with confirms) or dead-lettered. It arrives on the
/// payment cloud's bus and is passed on through <paramref name="inside"/>, the bus on ChargeLink's own vhost.
/// </summary>
public sealed class AuthorizationConsumer(
    PaymentSignature signature,
    AuthorizationWindow window,
    SiteTopology topology,
    InstructionPublisher instructions,
    HoldLedger holds,
    ChargeLinkSettings settings,
    IBus inside,
    TimeProvider clock,
    ILogger<AuthorizationConsumer> logger
) : IConsumer<RawPaymentCloudBody>
{
    public async Task Consume(ConsumeContext<RawPaymentCloudBody> context)
    {
        if (ReturnedDeadLetter(context))
            return;
        PaymentCloudMessage message;
        try
        {
            message = Validate(
                context.ReceiveContext.Body.GetBytes(),
                context.Headers.Get<string>(PaymentCloudQueues.SignatureHeader)
            );
        }
        catch (PaymentMessageRejectedException rejected)
        {
            throw Rejected(context, rejected);
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["PaymentId"] = message.PaymentId });
        switch (message)
        {
            case PaymentAuthorizedMessage authorized when topology.GroupOfTerminal(authorized.TerminalId) is { } group:
                await PassOn(context, authorized, group);
                break;
            case PaymentAuthorizedMessage unknown:
                await VoidAtUnknownTerminal(context, unknown);
                break;
            case PaymentCancelledMessage cancelled:
                await inside.Publish(
                    new PaymentCancelledAtTerminal(cancelled.PaymentId, clock.GetUtcNow()),
                    send =>
                        send.MessageId = GroupCorrelation.CommandId(
                            "payment-cloud",
                            "payment-cancelled",
                            cancelled.PaymentId
                        ),
                    context.CancellationToken
                );
                logger.LogInformation("Payment {PaymentId} cancelled at the terminal", cancelled.PaymentId);
                break;
        }
    }

    // Rule 8 at the door: a hold ChargeLink could never capture (another currency than the group tariff's, more than
    // the maximum hold) is voided and dead-lettered with the reason; the group never hears of it. Every hold is
    // recorded first (the first of a paymentId wins, so a second message that reuses a paymentId can neither change nor
    // void the payment), and every instruction for it is then checked against what the cloud itself authorized.
    private async Task PassOn(ConsumeContext context, PaymentAuthorizedMessage authorized, StationGroup group)
    {
        var hold = new Money(authorized.AmountMinor, authorized.Currency);
        var recorded = await holds.Record(
            authorized.PaymentId,
            group.Id,
            authorized.TerminalId,
            hold,
            authorized.AuthorizedAt,
            context.CancellationToken
        );
        if (recorded.GroupId != group.Id || recorded.HeldMinor != hold.Minor || recorded.Currency != hold.Currency)
            throw Rejected(
                context,
                new PaymentMessageRejectedException(
                    $"paymentId: {authorized.PaymentId} was authorized before with another hold "
                        + $"({recorded.HeldMinor} {recorded.Currency} in group {recorded.GroupId}); a "
                        + "paymentId names one payment",
                    RejectionCheck.Duplicate
                )
            );
        var refused =
            !string.Equals(hold.Currency, group.Tariff.Currency, StringComparison.Ordinal)
                ? (
                    VoidReason.CurrencyNotAccepted,
                    $"amount.currency: {hold.Currency} is not the currency of group {group.Id}'s "
                        + $"tariff ({group.Tariff.Currency})"
                )
            : hold.Minor > settings.PaymentMaxHoldMinor
                ? (
                    VoidReason.HoldAboveMaximum,
                    $"amount.value: {hold.Minor} is above the maximum hold of "
                        + $"{settings.PaymentMaxHoldMinor} (CHARGELINK_PAYMENT_MAX_HOLD_MINOR)"
                )
            : default((string Reason, string Detail)?);
        if (refused is { } door)
        {
            if (await holds.Claim(authorized.PaymentId, Settlement.Void(group.Id), context.CancellationToken) is null)
                await instructions.Publish(
                    new VoidInstruction(authorized.PaymentId, door.Reason),
                    context.CancellationToken
                );
            throw Rejected(
                context,
                new PaymentMessageRejectedException($"{door.Detail}; voided ({door.Reason})", RejectionCheck.Amount)
            );
        }
        await inside.Publish(
            new PaymentAuthorized(
                group.Id,
                authorized.PaymentId,
                authorized.TerminalId,
                authorized.AmountMinor,
                authorized.Currency,
                authorized.AuthorizedAt,
                clock.GetUtcNow()
            ),
            send => send.MessageId = GroupCorrelation.CommandId(group.Id, "payment-authorized", authorized.PaymentId),
            context.CancellationToken
        );
        PaymentAdapterMetrics.Authorized.Add(1);
        logger.LogInformation(
            "Payment {PaymentId} of {AmountMinor} {Currency} (card ****{CardLastFour}) "
                + "authorized at terminal {TerminalId} of group {GroupId}",
            authorized.PaymentId,
            authorized.AmountMinor,
            authorized.Currency,
            authorized.CardLastFour,
            authorized.TerminalId,
            group.Id
        );
    }

    // A terminal the topology does not know: the payment is voided, through the same ledger as every other instruction.
    // Recorded under no group ("" ), so that this paymentId can no longer start anywhere, and claimed as the payment's
    // one instruction: a paymentId recorded (and perhaps captured) at a known terminal before is refused as the
    // duplicate it is, never voided behind its capture.
    private async Task VoidAtUnknownTerminal(ConsumeContext context, PaymentAuthorizedMessage unknown)
    {
        var recorded = await holds.Record(
            unknown.PaymentId,
            NoGroup,
            unknown.TerminalId,
            new Money(unknown.AmountMinor, unknown.Currency),
            unknown.AuthorizedAt,
            context.CancellationToken
        );
        if (recorded.GroupId != NoGroup)
            throw Rejected(
                context,
                new PaymentMessageRejectedException(
                    $"paymentId: {unknown.PaymentId} was authorized before at a terminal of group "
                        + $"{recorded.GroupId}; now it names terminal {unknown.TerminalId}, which the topology does "
                        + "not know; a paymentId names one payment",
                    RejectionCheck.Duplicate
                )
            );
        if (await holds.Claim(unknown.PaymentId, Settlement.Void(NoGroup), context.CancellationToken) is { } refusal)
        {
            logger.LogWarning(
                "Payment {PaymentId} names terminal {TerminalId}, which the topology does not know; "
                    + "its void is refused by the money check: {Refusal}",
                unknown.PaymentId,
                unknown.TerminalId,
                refusal
            );
            return;
        }
        logger.LogWarning(
            "Payment {PaymentId} names terminal {TerminalId}, which the topology does not know; voiding it",
            unknown.PaymentId,
            unknown.TerminalId
        );
        await instructions.Publish(
            new VoidInstruction(unknown.PaymentId, VoidReason.UnknownTerminal),
            context.CancellationToken
        );
    }

    // The ledger's group for a payment voided at a terminal of no group.
    private const string NoGroup = "";

    private PaymentMessageRejectedException Rejected(ConsumeContext context, PaymentMessageRejectedException rejected)
    {
        PaymentAdapterMetrics.DeadLettered.Add(1, new KeyValuePair<string, object?>("check", rejected.Check));
        logger.LogWarning(
            "Payment cloud message {MessageId} refused by the {Check} check, dead-lettered to "
                + "{DeadLetterQueue}: {Reason}",
            context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit.Properties.MessageId : null,
            rejected.Check,
            PaymentCloudQueues.AuthorizationsDeadLetter,
            rejected.Message
        );
        return rejected;
    }

    // A dead letter back in the queue: the cloud's account reads the dead-letter queue, whose exchange has its name,
    // and writes this queue, so the broker lets it bind the one to the other. Refused again, each dead letter would
    // come back again, one more copy in the dead-letter queue every time round, until the broker's memory alarm stops
    // every publisher on the node. It is dropped: the dead-letter queue holds it already, with its reason. Nobody else
    // sends MassTransit's fault headers.
    private bool ReturnedDeadLetter(ConsumeContext context)
    {
        if (context.Headers.Get<string>(FaultReasonHeader) is null)
            return false;
        PaymentAdapterMetrics.DeadLettersReturned.Add(1);
        logger.LogWarning(
            "Payment cloud message {MessageId} carries a dead letter's {Header} header: it came back from "
                + "{DeadLetterQueue} (a binding the payment cloud's account made?); dropped, its copy stays there",
            context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit.Properties.MessageId : null,
            FaultReasonHeader,
            PaymentCloudQueues.AuthorizationsDeadLetter
        );
        return true;
    }

    // The reason MassTransit's error transport writes on every dead letter.
    private const string FaultReasonHeader = "MT-Fault-Message";

    // Signature first: nothing of an unsigned body is read, not even to log it.
    private PaymentCloudMessage Validate(byte[] body, string? signatureHeader)
    {
        if (!signature.Verify(body, signatureHeader))
            throw new PaymentMessageRejectedException(
                $"signature: {PaymentCloudQueues.SignatureHeader} is missing or does not match the body",
                RejectionCheck.Signature
            );
        var message = PaymentCloudMessageParser.Parse(body);
        if (message is PaymentAuthorizedMessage authorized)
            window.Check(authorized.AuthorizedAt, clock.GetUtcNow());
        return message;
    }
}
