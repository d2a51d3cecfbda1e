using MassTransit;

namespace ChargeLink.Orchestrator.Inbox;

public sealed class PaymentCancellationRouterDefinition : ConsumerDefinition<PaymentCancellationRouter>
{
    public PaymentCancellationRouterDefinition() => EndpointName = "chargelink.orchestrator.payment-cancellations";

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<PaymentCancellationRouter> consumer,
        IRegistrationContext context
    ) =>
        // A cancellation may overtake its authorization by a few seconds; give the authorization time to land.
        endpoint.UseMessageRetry(retry => retry.Intervals(250, 1000, 2000, 5000, 10000, 30000));
}
