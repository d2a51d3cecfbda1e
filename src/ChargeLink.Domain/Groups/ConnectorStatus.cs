namespace ChargeLink.Domain.Groups;

/// <summary>
/// A connector's status in OCPP 1.6's words (ChargePointStatus), the language stations speak: 2.x's are mapped onto
/// them at the gateway. Messages carry it as its name (<c>ConnectorStatusChanged</c>).
/// </summary>
public enum ConnectorStatus
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
