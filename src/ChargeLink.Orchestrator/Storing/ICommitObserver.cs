namespace ChargeLink.Orchestrator.Storing;

/// <summary>
/// Told after each append of a saga's events has committed: for whoever must know of a commit (the console's live news)
/// without the store knowing who they are.
/// </summary>
public interface ICommitObserver<in TSaga>
{
    /// <summary>The saga's stream is now at <paramref name="streamVersion"/>. Called once the commit is durable; must
    /// not throw.</summary>
    void Committed(TSaga saga, long streamVersion);
}
