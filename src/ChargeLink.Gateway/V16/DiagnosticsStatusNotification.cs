namespace ChargeLink.Gateway.V16;

/// <summary>The station tells how a diagnostics upload goes: noted.</summary>
public sealed class DiagnosticsStatusNotification(ILogger<DiagnosticsStatusNotification> logger) : IV16Action
{
    public string Action => "DiagnosticsStatusNotification";

    public Task<JsonObject> Answer(StationCall request, CancellationToken cancellation)
    {
        var payload = request.Payload;
        var status = payload.RequiredOneOf("status", "Idle", "Uploaded", "UploadFailed", "Uploading");
        payload.End();
        logger.LogInformation("{OcppAction}: {Status}", Action, status);
        return Task.FromResult(new JsonObject());
    }
}
