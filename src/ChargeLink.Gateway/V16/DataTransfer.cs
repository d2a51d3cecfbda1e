namespace ChargeLink.Gateway.V16;

/// <summary>No vendor-specific extensions are known here, which the standard answers with UnknownVendorId.</summary>
public sealed class DataTransfer(ILogger<DataTransfer> logger) : IV16Action
{
    public string Action => "DataTransfer";

    public Task<JsonObject> Answer(StationCall request, CancellationToken cancellation)
    {
        var payload = request.Payload;
        var vendorId = payload.RequiredString("vendorId", 255);
        payload.OptionalString("messageId", 50);
        payload.OptionalString("data", int.MaxValue);
        payload.End();
        logger.LogInformation("DataTransfer from vendor {VendorId} answered UnknownVendorId", vendorId);
        return Task.FromResult(new JsonObject { ["status"] = "UnknownVendorId" });
    }
}
