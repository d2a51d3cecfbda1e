using ChargeLink.EventLog;

namespace ChargeLink.Orchestrator.Deciding;

/// <summary>The deployment's idTag key (<see cref="IdTagKeyTable"/>), loaded on the first decision and kept.</summary>
public sealed class IdTagKey(ChargeLinkSettings settings)
{
    // A database that does not answer yet is asked again on the next decision (the message is retried meanwhile).
    private readonly Lazy<byte[]> _key = new(
        () => IdTagKeyTable.LoadOrCreate(settings.Postgres, settings.PostgresSchema),
        LazyThreadSafetyMode.PublicationOnly
    );

    public ReadOnlyMemory<byte> Value => _key.Value;
}
