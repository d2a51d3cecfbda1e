using ChargeLink.Orchestrator.Reading;
using Marten;

namespace ChargeLink.Orchestrator;

/// <summary>
/// The orchestrator's Marten store as a whole: the group streams and what is kept beside them (Storing), and the read
/// models (Reading). Composed here, above both, so that neither reaches into the other; the tests and the bench open
/// the same store through it.
/// </summary>
public static class OrchestratorStore
{
    public static void Configure(StoreOptions options, string connectionString, string schema)
    {
        GroupStreamConfiguration.Configure(options, connectionString, schema);
        GroupReadModels.Configure(options);
    }
}
