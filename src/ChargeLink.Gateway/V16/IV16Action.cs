namespace ChargeLink.Gateway.V16;

/// <summary>
/// One CALL an OCPP 1.6 station sends, read and answered in one file: adding one is adding a class (found at start by
/// <see cref="Extensions.AddStationActions"/>). The payload is checked field by field as it is read; a violation is an
/// <see cref="OcppViolation"/>, which the connection answers with the standard's CALLERROR.
/// </summary>
public interface IV16Action
{
    /// <summary>The action's name on the wire.</summary>
    string Action { get; }

    /// <summary>The CALLRESULT's payload.</summary>
    Task<JsonObject> Answer(StationCall request, CancellationToken cancellation);
}
