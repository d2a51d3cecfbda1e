using ChargeLink.Domain.Groups;

namespace ChargeLink.EventLog;

/// <summary>
/// The stored name of every group event: stable and versioned, so a renamed C# type never orphans history.
/// A stored event's shape never changes; a new shape gets a new name (say connector_occupied_v2).
/// </summary>
public static class GroupEventTypes
{
    public static readonly IReadOnlyDictionary<string, Type> ByName = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["connector_occupied_v1"] = typeof(ConnectorOccupied),
        ["connector_vacated_v1"] = typeof(ConnectorVacated),
        ["payment_authorization_received_v1"] = typeof(PaymentAuthorizationReceived),
        ["charging_start_requested_v1"] = typeof(ChargingStartRequested),
        ["payment_cancelled_v1"] = typeof(PaymentCancelled),
        ["remote_start_accepted_v1"] = typeof(RemoteStartAccepted),
        ["remote_start_failed_v1"] = typeof(RemoteStartFailed),
        ["charging_started_v1"] = typeof(ChargingStarted),
        ["charging_stopped_v1"] = typeof(ChargingStopped),
        ["payment_capture_requested_v1"] = typeof(PaymentCaptureRequested),
        ["payment_void_requested_v1"] = typeof(PaymentVoidRequested),
        ["connector_status_noted_v1"] = typeof(ConnectorStatusNoted),
        ["transaction_stop_noted_v1"] = typeof(TransactionStopNoted),
        ["charging_stop_requested_v1"] = typeof(ChargingStopRequested),
        ["meter_reading_noted_v1"] = typeof(MeterReadingNoted),
        ["charging_overdue_v1"] = typeof(ChargingOverdue),
        ["charging_ended_without_stop_v1"] = typeof(ChargingEndedWithoutStop),
        ["remote_start_confirmed_late_v1"] = typeof(RemoteStartConfirmedLate),
        ["remote_start_lost_v1"] = typeof(RemoteStartLost),
    };

    private static readonly Dictionary<Type, string> Names = ByName.ToDictionary(p => p.Value, p => p.Key);

    public static string NameOf(Type type) =>
        Names.TryGetValue(type, out var name) ? name : throw new ArgumentException($"{type.Name} has no stored name; add it to {nameof(GroupEventTypes)}", nameof(type));
}
