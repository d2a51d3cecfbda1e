using ChargeLink.Domain.Audit;
using Marten;
using MassTransit;

namespace ChargeLink.Orchestrator.Inbox;

/// <summary>
/// A cancellation names only the payment. Its group is in the payment's record, which is written in the same
/// transaction as the authorization's event; found, the cancellation goes on to that group's saga. Not found yet
/// (it overtook its authorization), the consumer throws and the retry policy tries again a little later.
/// </summary>
public sealed class PaymentCancellationRouter(IQuerySession session, ILogger<PaymentCancellationRouter> logger)
    : IConsumer<PaymentCancelledAtTerminal>
{
    public async Task Consume(ConsumeContext<PaymentCancelledAtTerminal> context)
    {
        var paymentId = context.Message.PaymentId;
        var payment = await session.LoadAsync<PaymentRecord>(paymentId, context.CancellationToken)
            ?? throw new PaymentNotFoundYetException(paymentId);
        logger.LogInformation(
            "Cancellation of payment {PaymentId} goes to group {GroupId}",
            paymentId,
            payment.GroupId
        );
        await context.Publish(new PaymentCancellationRouted(payment.GroupId, paymentId, context.Message.ReceivedAt));
    }
}

public sealed class PaymentNotFoundYetException(string paymentId)
    : Exception($"no authorization for payment {paymentId} has reached any group yet");
