namespace ChargeLink.Gateway.Stations;

/// <summary>A CALL a station sent, as its action's file gets it: who sent it, the frame, and a reader of its
/// payload.</summary>
public sealed record StationCall(StationConnection Station, OcppCall Call, PayloadReader Payload);
