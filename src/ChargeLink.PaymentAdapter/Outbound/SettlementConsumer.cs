using ChargeLink.Contracts;
using ChargeLink.ServiceDefaults;
using MassTransit;

namespace ChargeLink.PaymentAdapter.Outbound;

/// <summary>
/// The group saga's capture and void requests become signed instructions to the payment cloud. The request is
/// acknowledged only after the broker confirmed the instruction. A repeat this process saw is dropped before it gets
/// here (<see cref="DropRepeatedCommands{T}"/>); one that slips past carries the same message_id for the cloud.
/// </summary>
public sealed class SettlementConsumer(InstructionPublisher instructions) : IConsumer<CapturePayment>, IConsumer<VoidPayment>
{
    public Task Consume(ConsumeContext<CapturePayment> context)
    {
        var m = context.Message;
        return instructions.Publish(new CaptureInstruction(m.PaymentId, m.AmountMinor, m.Currency, m.EnergyWh, m.SessionId), context.CancellationToken);
    }

    public Task Consume(ConsumeContext<VoidPayment> context) =>
        instructions.Publish(new VoidInstruction(context.Message.PaymentId, context.Message.Reason), context.CancellationToken);
}
