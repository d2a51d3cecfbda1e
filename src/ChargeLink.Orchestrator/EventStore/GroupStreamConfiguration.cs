using ChargeLink.Domain.Groups;
using JasperFx;
using Marten;
using Weasel.Core;

namespace ChargeLink.Orchestrator.EventStore;

/// <summary>
/// How station-group streams are stored: Guid stream ids (the saga's CorrelationId), events as JSON with
/// stable, versioned type names so a renamed C# type never orphans stored history.
/// </summary>
public static class GroupStreamConfiguration
{
    public static void Configure(StoreOptions options, string connectionString, string schema)
    {
        options.Connection(connectionString);
        options.DatabaseSchemaName = schema;
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
        options.Events.MapEventType<ConnectorOccupied>("connector_occupied_v1");
        options.Events.MapEventType<ConnectorVacated>("connector_vacated_v1");
        options.Events.MapEventType<PaymentAuthorizationReceived>("payment_authorization_received_v1");
        options.Events.MapEventType<ChargingStartRequested>("charging_start_requested_v1");
    }
}
