namespace ChargeLink.Orchestrator.Storing;

/// <summary>
/// A saga's folded state at one version of its stream, kept beside the stream so that a cold start (a restart, a
/// failover, a partition that moved) folds only the events after it: the load of a group costs the same after a year as
/// after an hour. Written in the transaction of the append that reaches <see cref="Version"/>, so it never runs ahead
/// of the stream. A cache, never the truth: the events stay, `chargelink audit` reads them all, and a snapshot this
/// code cannot read is passed over (the stream is folded from the start).
/// </summary>
public sealed class StreamSnapshot
{
    /// <summary>The stream's id.</summary>
    public Guid Id { get; set; }

    /// <summary>The stream version the state was folded up to.</summary>
    public long Version { get; set; }

    /// <summary>The hash chain's link at <see cref="Version"/>: the next append links to it.</summary>
    public string Chain { get; set; } = "";

    /// <summary>The state, as the saga writes it (<see cref="IEventSourcedSaga.StoredSnapshot"/>).</summary>
    public string State { get; set; } = "";

    public DateTimeOffset TakenAt { get; set; }

    /// <summary>How many events an append must add past the last snapshot before the next one is taken.</summary>
    public const int Every = 100;

    /// <summary>Whether an append from <paramref name="before"/> to <paramref name="after"/> crosses a snapshot's
    /// place.</summary>
    public static bool IsDue(long before, long after) => after / Every > before / Every;
}
