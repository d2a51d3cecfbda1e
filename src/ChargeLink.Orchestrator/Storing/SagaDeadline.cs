namespace ChargeLink.Orchestrator.Storing;

/// <summary>A saga that has to be woken at a time of its own choosing (a timeout).</summary>
public interface IHasDeadline
{
    /// <summary>Who to wake: carried back in the wake-up message.</summary>
    string DeadlineOwner { get; }

    DateTimeOffset? NextDeadline { get; }
}

/// <summary>
/// The index of pending deadlines: one document per saga, written in the same transaction as the saga's
/// events, so a timeout survives any restart. It is derived from the stream and never the source of truth.
/// </summary>
public sealed class SagaDeadline
{
    public Guid Id { get; set; }
    public string Owner { get; set; } = "";
    public DateTimeOffset? DueAt { get; set; }
}
