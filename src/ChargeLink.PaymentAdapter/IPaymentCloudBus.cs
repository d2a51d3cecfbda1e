using MassTransit;

namespace ChargeLink.PaymentAdapter;

/// <summary>
/// The bus on the payment cloud's vhost, where only its two queues live. The adapter's other bus, on ChargeLink's own
/// vhost, carries what it passes on inside; the cloud's account cannot reach that vhost at all.
/// </summary>
public interface IPaymentCloudBus : IBus;
