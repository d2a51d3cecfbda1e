using System.Text.Json.Serialization;

namespace ChargeLink.Contracts;

/// <summary>
/// What a station reports of one connector, in OCPP 1.6's words (ChargePointStatus); on the wire as its name. The
/// gateway validates it where it enters; the orchestrator maps it onto the Domain's status in one place.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConnectorState>))]
public enum ConnectorState
{
    Available,
    Preparing,
    Charging,
    SuspendedEVSE,
    SuspendedEV,
    Finishing,
    Reserved,
    Unavailable,
    Faulted,
}
