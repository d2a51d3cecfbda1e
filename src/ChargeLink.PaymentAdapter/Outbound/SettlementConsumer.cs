using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;
using ChargeLink.PaymentAdapter.Holds;
using MassTransit;

namespace ChargeLink.PaymentAdapter.Outbound;

/// <summary>
/// The group saga's capture and void requests become signed instructions to the payment cloud, each only after it was
/// checked against the adapter's own record of the authorization (rule 8, <see cref="MoneyCheck"/>): a request that
/// fails the check is not sent; it is logged at Error, counted, and moved to this endpoint's dead-letter queue with the
/// reason (<see cref="InstructionRefusedException"/>). The request is acknowledged only after the broker confirmed the
/// instruction. A repeat this process saw is dropped before it gets here (<see cref="DropRepeatedCommands{T}"/>); one
/// that slips past passes the check again (it is the recorded instruction) and carries the same message_id for the
/// cloud.
/// </summary>
public sealed class SettlementConsumer(
    InstructionPublisher instructions,
    HoldLedger holds,
    ILogger<SettlementConsumer> logger
) : IConsumer<CapturePayment>, IConsumer<VoidPayment>
{
    public async Task Consume(ConsumeContext<CapturePayment> context)
    {
        var m = context.Message;
        await Check(
            m.PaymentId,
            Settlement.Capture(m.GroupId, m.AmountMinor, m.Currency, m.EnergyWh),
            context.CancellationToken
        );
        await instructions.Publish(
            new CaptureInstruction(m.PaymentId, m.AmountMinor, m.Currency, m.EnergyWh, m.SessionId),
            context.CancellationToken
        );
    }

    public async Task Consume(ConsumeContext<VoidPayment> context)
    {
        var m = context.Message;
        if (
            m.OnlyIfUnsettled
            && await holds.Claim(m.PaymentId, Settlement.Void(m.GroupId), context.CancellationToken)
                is MoneyCheck.Refusal.AlreadySettled
        )
        {
            // A payment the group forgot, authorized again past the retention period: its instruction stands.
            logger.LogInformation(
                "Void of payment {PaymentId} ({Reason}, only if unsettled) not sent: the payment has its instruction",
                m.PaymentId,
                m.Reason
            );
            return;
        }
        await Check(m.PaymentId, Settlement.Void(m.GroupId), context.CancellationToken);
        await instructions.Publish(new VoidInstruction(m.PaymentId, m.Reason), context.CancellationToken);
    }

    private async Task Check(string paymentId, Settlement instruction, CancellationToken cancellation)
    {
        if (await holds.Claim(paymentId, instruction, cancellation) is not { } refusal)
            return;
        PaymentAdapterMetrics.InstructionsRefused.Add(1, new KeyValuePair<string, object?>("reason", refusal));
        logger.LogError(
            "Instruction {InstructionKind} for payment {PaymentId} of group {GroupId} "
                + "({AmountMinor} {Currency}, {EnergyWh} Wh) refused by the money check: {Refusal}; "
                + "not sent, dead-lettered",
            instruction.Kind,
            paymentId,
            instruction.GroupId,
            instruction.AmountMinor,
            instruction.Currency,
            instruction.EnergyWh,
            refusal
        );
        throw new InstructionRefusedException(
            refusal,
            $"{instruction.Kind} of {paymentId} for group {instruction.GroupId} refused by the money check: {refusal}"
        );
    }
}

/// <summary>A capture or void that fails the money check: never retried, moved to the dead-letter queue with this
/// reason.</summary>
public sealed class InstructionRefusedException(string refusal, string message) : Exception(message)
{
    public string Refusal { get; } = refusal;
}
