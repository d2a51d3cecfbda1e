namespace ChargeLink.Domain.Groups;

/// <summary>The connector states of OCPP 1.6 (ChargePointStatus), the language stations speak.</summary>
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
