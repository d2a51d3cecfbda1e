namespace ChargeLink.Gateway.V2;

/// <summary>An EVSE's connector status: Occupied is "occupied" in the sense of the invention (<see
/// cref="StatusForwarding"/>).</summary>
public sealed class StatusNotification(StatusForwarding statuses) : IV2Action
{
    public string Action => "StatusNotification";

    public async Task<JsonObject> Answer(StationCall request, V2Dialect dialect, CancellationToken cancellation)
    {
        var (station, _, payload) = request;
        var timestamp = payload.RequiredDateTime("timestamp");
        var status = payload.RequiredOneOf(
            "connectorStatus",
            "Available",
            "Occupied",
            "Reserved",
            "Unavailable",
            "Faulted"
        );
        var evseId = payload.RequiredInt("evseId", min: 0);
        payload.RequiredInt("connectorId", min: 0);
        await statuses.Forward(
            station,
            evseId,
            V2Fields.StateOf(status) ?? ConnectorStatus.Faulted,
            "NoError",
            timestamp,
            cancellation
        );
        return [];
    }
}
