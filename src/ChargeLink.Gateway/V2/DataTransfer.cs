namespace ChargeLink.Gateway.V2;

/// <summary>No vendor-specific extensions are known here, which the standard answers with UnknownVendorId.</summary>
public sealed class DataTransfer : IV2Action
{
    public string Action => "DataTransfer";

    public Task<JsonObject> Answer(
        StationConnection station,
        V2Dialect dialect,
        OcppCall call,
        PayloadReader payload,
        CancellationToken cancellation
    ) => Task.FromResult(new JsonObject { ["status"] = "UnknownVendorId" });
}
