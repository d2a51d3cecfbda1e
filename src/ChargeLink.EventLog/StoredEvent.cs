using ChargeLink.Domain.Groups;

namespace ChargeLink.EventLog;

/// <summary>One row of the event log as PostgreSQL holds it: data as jsonb text, and its chain link.</summary>
public sealed record StoredEvent(
    long Sequence,
    Guid StreamId,
    long Version,
    string Type,
    DateTimeOffset Timestamp,
    string Json,
    string? Chain
)
{
    public IGroupEvent Data() => EventJson.Deserialize(Type, Json);
}
