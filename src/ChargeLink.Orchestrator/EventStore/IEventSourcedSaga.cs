using MassTransit;

namespace ChargeLink.Orchestrator.EventStore;

/// <summary>
/// A saga whose only state is its event stream: loading replays the stream, saving appends what the
/// saga recorded while it consumed one message.
/// </summary>
public interface IEventSourcedSaga : ISaga
{
    /// <summary>Rebuilds the state from the stream's events, oldest first.</summary>
    void Replay(IEnumerable<object> events);

    /// <summary>The events recorded since the last load or save, in order.</summary>
    IReadOnlyList<object> UncommittedEvents { get; }

    void ClearUncommittedEvents();
}
