using MassTransit;

namespace ChargeLink.Orchestrator.Storing;

/// <summary>
/// A saga whose only state is its event stream: loading replays the stream, saving appends what the
/// saga recorded while it consumed one message.
/// </summary>
public interface IEventSourcedSaga : ISaga
{
    /// <summary>Applies the stream's events, oldest first, on top of the current state.</summary>
    void Replay(IEnumerable<object> events);

    /// <summary>The state as an immutable value the store may keep and hand back (<see cref="Restore"/>).</summary>
    object Snapshot();

    void Restore(object snapshot);

    /// <summary>
    /// The state in the form kept beside the stream (<see cref="StreamSnapshot"/>), text that names its own format;
    /// null for a saga that keeps none (it is always folded from the whole stream).
    /// </summary>
    string? StoredSnapshot();

    /// <summary>Takes the state from <see cref="StoredSnapshot"/>'s text; false (and nothing changed) for a format this
    /// code cannot read.</summary>
    bool RestoreStored(string stored);

    /// <summary>The events recorded since the last load or save, in order.</summary>
    IReadOnlyList<object> UncommittedEvents { get; }

    void ClearUncommittedEvents();
}
