namespace ChargeLink.Contracts;

/// <summary>
/// A command the orchestrator sends about one payment of one group (start, stop, capture, void). Its MessageId is
/// deterministic, so a receiver drops a repeat; its ids are what a receiver's log lines carry.
/// </summary>
public interface IPaymentCommand
{
    string GroupId { get; }

    string PaymentId { get; }
}
