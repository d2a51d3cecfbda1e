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
        options.Events.MapEventType<PaymentCancelled>("payment_cancelled_v1");
        options.Events.MapEventType<RemoteStartAccepted>("remote_start_accepted_v1");
        options.Events.MapEventType<RemoteStartFailed>("remote_start_failed_v1");
        options.Events.MapEventType<ChargingStarted>("charging_started_v1");
        options.Events.MapEventType<ChargingStopped>("charging_stopped_v1");
        options.Events.MapEventType<PaymentCaptureRequested>("payment_capture_requested_v1");
        options.Events.MapEventType<PaymentVoidRequested>("payment_void_requested_v1");
        options.Events.MapEventType<ConnectorStatusNoted>("connector_status_noted_v1");
        options.Events.MapEventType<TransactionStopNoted>("transaction_stop_noted_v1");
        options.Events.MapEventType<ChargingStopRequested>("charging_stop_requested_v1");
        options.Schema.For<SagaDeadline>().Index(d => d.DueAt);
    }
}
