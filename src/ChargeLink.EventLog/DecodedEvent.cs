using ChargeLink.Domain.Groups;

namespace ChargeLink.EventLog;

/// <summary>One event of the log as a fold needs it: its stream, its version there and its data as the Domain's
/// record. A value: a replay's batches hold a million of them in turn, and no object of their own.</summary>
public readonly record struct DecodedEvent(Guid StreamId, long Version, IGroupEvent Data);
