using Marten;

namespace ChargeLink.Orchestrator.Storing;

/// <summary>Read models kept beside a saga's stream, written in the same transaction as the events they fold.</summary>
public interface ISagaProjection<in TSaga>
{
    /// <param name="streamVersion">The stream's version before <paramref name="events"/> are appended.</param>
    Task Project(
        IDocumentSession session,
        TSaga saga,
        IReadOnlyList<object> events,
        long streamVersion,
        CancellationToken cancellation
    );

    /// <summary>The append of <see cref="Project"/>'s events committed: the stream is now at <paramref
    /// name="streamVersion"/>.</summary>
    void Committed(TSaga saga, long streamVersion);

    /// <summary>Reads ahead (at start) what the first append of each of these streams would otherwise read inside its
    /// commit.</summary>
    Task Preload(IQuerySession session, IReadOnlyCollection<Guid> streamIds, CancellationToken cancellation);
}
