namespace ChargeLink.Gateway.V2;

/// <summary>
/// One CALL an OCPP 2.0.1 or 2.1 station sends, answered in one file: adding one is adding a class (found at start by
/// <see cref="Extensions.AddStationActions"/>). The payload has passed the OCA's schema of its request before it gets
/// here.
/// </summary>
public interface IV2Action
{
    /// <summary>The action's name on the wire.</summary>
    string Action { get; }

    /// <summary>The CALLRESULT's payload.</summary>
    Task<JsonObject> Answer(StationCall request, V2Dialect dialect, CancellationToken cancellation);
}
