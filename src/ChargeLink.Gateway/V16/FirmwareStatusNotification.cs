namespace ChargeLink.Gateway.V16;

/// <summary>The station tells how a firmware update goes: noted.</summary>
public sealed class FirmwareStatusNotification(ILogger<FirmwareStatusNotification> logger) : IV16Action
{
    public string Action => "FirmwareStatusNotification";

    public Task<JsonObject> Answer(StationCall request, CancellationToken cancellation)
    {
        var payload = request.Payload;
        var status = payload.RequiredOneOf(
            "status",
            "Downloaded",
            "DownloadFailed",
            "Downloading",
            "Idle",
            "InstallationFailed",
            "Installing",
            "Installed"
        );
        payload.End();
        logger.LogInformation("{OcppAction}: {Status}", Action, status);
        return Task.FromResult(new JsonObject());
    }
}
