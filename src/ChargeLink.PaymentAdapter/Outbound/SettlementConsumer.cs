using ChargeLink.Contracts;
using ChargeLink.ServiceDefaults;
using MassTransit;

namespace ChargeLink.PaymentAdapter.Outbound;

/// <summary>
/// The group saga's capture and void requests become signed instructions to the payment cloud. The request is
/// acknowledged only after the broker confirmed the instruction; a repeat produces the same message_id.
/// </summary>
public sealed class SettlementConsumer(InstructionPublisher instructions, RecentMessageIds recent) : IConsumer<CapturePayment>, IConsumer<VoidPayment>
{
    public Task Consume(ConsumeContext<CapturePayment> context)
    {
        var m = context.Message;
        return Publish(context, new CaptureInstruction(m.PaymentId, m.AmountMinor, m.Currency, m.EnergyWh, m.SessionId));
    }

    public Task Consume(ConsumeContext<VoidPayment> context) =>
        Publish(context, new VoidInstruction(context.Message.PaymentId, context.Message.Reason));

    // A repeat (the relay's copy) is dropped here; one that slips past carries the same message_id for the cloud.
    private async Task Publish(ConsumeContext context, PaymentInstruction instruction)
    {
        if (context.MessageId is not { } id)
        {
            await instructions.Publish(instruction, context.CancellationToken);
            return;
        }
        if (!recent.TryClaim(id))
            return;
        try
        {
            await instructions.Publish(instruction, context.CancellationToken);
        }
        catch
        {
            recent.Release(id);
            throw;
        }
    }
}
