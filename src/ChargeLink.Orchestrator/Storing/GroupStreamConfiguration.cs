using ChargeLink.EventLog;
using JasperFx;
using Marten;
using Weasel.Core;

namespace ChargeLink.Orchestrator.Storing;

/// <summary>
/// How station-group streams are stored: Guid stream ids (the saga's CorrelationId), events as JSON with
/// stable, versioned type names (<see cref="GroupEventTypes"/>) and a hash-chain link in each event's headers.
/// </summary>
public static class GroupStreamConfiguration
{
    public static void Configure(StoreOptions options, string connectionString, string schema)
    {
        options.Connection(connectionString);
        options.DatabaseSchemaName = schema;
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
        foreach (var (name, type) in GroupEventTypes.ByName)
            options.Events.MapEventType(type, name);
        // Each event's link of the hash chain (EventChain) travels in its own row's headers.
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.Events.AppendMode = JasperFx.Events.EventAppendMode.Quick;
        options.Schema.For<SagaDeadline>().Index(d => d.DueAt);
        options.Schema.For<StreamSnapshot>().DocumentAlias(StoredNames.StreamSnapshotAlias);
    }
}
