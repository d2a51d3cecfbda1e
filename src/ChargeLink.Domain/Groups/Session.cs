namespace ChargeLink.Domain.Groups;

public enum SessionPhase
{
    /// <summary>RemoteStartTransaction sent, no answer yet.</summary>
    Requested,

    /// <summary>The station accepted; StartTransaction expected.</summary>
    Accepted,

    /// <summary>StartTransaction arrived with the payment's idTag.</summary>
    Charging,
}

/// <summary>A payment paired with a connector, from the start request until the session ends.</summary>
/// <param name="LastMeterWh">Rule 12: the last meter reading kept while charging, and when.</param>
/// <param name="OverdueSince">Rule 12: when the session was found overdue and the station asked to stop.</param>
public sealed record Session(
    WaitingPayment Payment,
    Candidate Candidate,
    string IdTag,
    SessionPhase Phase,
    DateTimeOffset PhaseSince,
    int? TransactionId,
    long? MeterStartWh,
    long? LastMeterWh = null,
    DateTimeOffset? LastMeterAt = null,
    DateTimeOffset? OverdueSince = null
)
{
    public ConnectorRef Connector => Candidate.Connector;
    public string PaymentId => Payment.PaymentId;

    /// <summary>A charging session's id, as captures name it: station, connector and the station's transaction
    /// id.</summary>
    public static string IdOf(string chargePointId, int connectorId, int transactionId) =>
        $"{chargePointId}-{connectorId}-{transactionId}";
}
