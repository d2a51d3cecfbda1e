using ChargeLink.Domain.Groups;

namespace ChargeLink.EventLog;

/// <summary>One event of the log as a fold needs it: its stream, its version there and its data as the Domain's
/// record.</summary>
public sealed record DecodedEvent(Guid StreamId, long Version, IGroupEvent Data);
