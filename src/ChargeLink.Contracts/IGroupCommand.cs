namespace ChargeLink.Contracts;

/// <summary>
/// A command a station group decided about one of its payments (start or stop charging at a station, capture or void
/// at the payment cloud). Its MessageId is deterministic, so a receiver drops a repeat; its ids are what a receiver's
/// log lines carry.
/// </summary>
public interface IGroupCommand
{
    string GroupId { get; }

    string PaymentId { get; }
}
