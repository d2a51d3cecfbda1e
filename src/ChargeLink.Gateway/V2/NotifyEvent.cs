namespace ChargeLink.Gateway.V2;

/// <summary>
/// A connector's AvailabilityState reported as a device-model event (2.1's preferred way, allowed in 2.0.1): the same
/// news as a StatusNotification. Every other event is answered and left to the station's own monitoring.
/// </summary>
public sealed class NotifyEvent(StatusForwarding statuses) : IV2Action
{
    public string Action => "NotifyEvent";

    public async Task<JsonObject> Answer(StationCall request, V2Dialect dialect, CancellationToken cancellation)
    {
        var (station, call, _) = request;
        foreach (var data in (call.Payload["eventData"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (
                data["component"]?["name"]?.GetValue<string>() != "Connector"
                || data["variable"]?["name"]?.GetValue<string>() != "AvailabilityState"
                || V2Fields.EvseId(data["component"]?["evse"]) is not { } evseId
            )
                continue;
            DateTimeOffset? at = DateTimeOffset.TryParse(
                data["timestamp"]?.GetValue<string>(),
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal,
                out var parsed
            )
                ? parsed
                : null;
            if (V2Fields.StateOf(data["actualValue"]?.GetValue<string>()) is { } reported)
                await statuses.Forward(station, evseId, reported, "NoError", at, cancellation);
        }
        return [];
    }
}
