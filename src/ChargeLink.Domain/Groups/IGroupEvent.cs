namespace ChargeLink.Domain.Groups;

/// <summary>
/// The events of one station group's stream: the only truth about it. Small, immutable, append-only; a stored event's
/// shape is never changed, a new version gets a new stored name. Everything else there is to know about an event sits
/// beside its record: its stored name (<see cref="StoredNameAttribute"/>), the payment and connector it concerns, and
/// what it means in an operator's words, from which the log lines, the timeline and the payment's story are written.
/// Rule numbers are README's ("What ChargeLink does at your site, rule by rule"). The records sit by what they are
/// about: ConnectorEvents, PaymentEvents, StartEvents, SessionEvents.
/// </summary>
// The records implement the members that are not positional properties explicitly, so that they are never
// serialized into the stored event: the stored shape is the record's parameters and nothing else.
public interface IGroupEvent
{
    /// <summary>The payment the event concerns, if any.</summary>
    string? PaymentId => null;

    /// <summary>The connector the event concerns, if any.</summary>
    ConnectorRef? Connector => null;

    /// <summary>What happened, in an operator's words.</summary>
    EventDescription Describe();
}
