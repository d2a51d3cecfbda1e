namespace ChargeLink.Gateway.V16;

/// <summary>A connector's status: Preparing is "occupied" in the sense of the invention (<see
/// cref="StatusForwarding"/>).</summary>
public sealed class StatusNotification(StatusForwarding statuses) : IV16Action
{
    public string Action => "StatusNotification";

    public async Task<JsonObject> Answer(StationCall request, CancellationToken cancellation)
    {
        var (station, _, payload) = request;
        var connectorId = payload.RequiredInt("connectorId", min: 0);
        var errorCode = payload.RequiredEnum<ChargePointErrorCode>("errorCode");
        var status = payload.RequiredEnum<ConnectorStatus>("status");
        var stationTimestamp = payload.OptionalDateTime("timestamp");
        payload.OptionalString("info", 50);
        payload.OptionalString("vendorId", 255);
        payload.OptionalString("vendorErrorCode", 50);
        payload.End();
        await statuses.Forward(station, connectorId, status, errorCode.ToString(), stationTimestamp, cancellation);
        return [];
    }
}
