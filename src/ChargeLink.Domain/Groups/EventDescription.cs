namespace ChargeLink.Domain.Groups;

/// <summary>A group event in an operator's words: the timeline's line, the log's line, a sentence of a payment's
/// story.</summary>
/// <param name="What">A few words that name what happened ("connector occupied", "start failed").</param>
/// <param name="Detail">The figures and the why, with the rule it follows.</param>
/// <param name="Weight">How much it matters to the one on call.</param>
public sealed record EventDescription(string What, string Detail, EventWeight Weight = EventWeight.Step);

/// <summary>How much an event matters to the one on call; the log level follows from it.</summary>
public enum EventWeight
{
    /// <summary>Bookkeeping (a status noted, a meter reading): seen when looking for it.</summary>
    Routine,

    /// <summary>A step of a session as it should go.</summary>
    Step,

    /// <summary>Something went differently than planned (a failed or lost start, an overdue session): worth a
    /// look.</summary>
    Anomaly,
}

/// <summary>The stored name of a group event: stable and versioned, so that renaming the C# type never orphans
/// history.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class StoredNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
