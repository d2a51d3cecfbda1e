using Marten;

namespace ChargeLink.Orchestrator.EventStore;

/// <summary>Read models kept beside a saga's stream, written in the same transaction as the events they fold.</summary>
public interface ISagaProjection<in TSaga>
{
    Task Project(IDocumentSession session, TSaga saga, IReadOnlyList<object> events, CancellationToken cancellation);
}
