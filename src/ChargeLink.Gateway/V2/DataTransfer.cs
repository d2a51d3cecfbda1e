namespace ChargeLink.Gateway.V2;

/// <summary>No vendor-specific extensions are known here, which the standard answers with UnknownVendorId.</summary>
public sealed class DataTransfer : IV2Action
{
    public string Action => "DataTransfer";

    public Task<JsonObject> Answer(StationCall request, V2Dialect dialect, CancellationToken cancellation) =>
        Task.FromResult(new JsonObject { ["status"] = "UnknownVendorId" });
}
