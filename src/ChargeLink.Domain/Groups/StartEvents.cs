namespace ChargeLink.Domain.Groups;

/// <summary>Rules 3 and 6: a candidate and a payment were paired; the station is asked to start.</summary>
[StoredName("charging_start_requested_v1")]
public sealed record ChargingStartRequested(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    string IdTag,
    DateTimeOffset RequestedAt
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new("start requested", $"RemoteStartTransaction, idTag {IdTag} (rules 3 and 6)");
}

/// <summary>Rule 9: the station accepted RemoteStartTransaction; a StartTransaction is now expected.</summary>
[StoredName("remote_start_accepted_v1")]
public sealed record RemoteStartAccepted(string PaymentId, string ChargePointId, int ConnectorId, DateTimeOffset At)
    : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new("start accepted", "the station accepted the remote start; its StartTransaction must follow (rule 9)");
}

/// <summary>
/// Rules 8 and 14: the station refused, was offline or did not answer, or the connector failed before charging began.
/// The payment waits again and never tries this connector again; the connector is a candidate again for other payments
/// unless its station is offline.
/// </summary>
[StoredName("remote_start_failed_v1")]
public sealed record RemoteStartFailed(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    RemoteStartOutcome Outcome,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new(
            "start failed",
            (
                Outcome == RemoteStartOutcome.ConnectorUnavailable
                    ? "the connector became Faulted or Unavailable before charging began (rule 14)"
                    : $"the station answered {Outcome} (rule 8)"
            ) + "; the payment went back to waiting for the next candidate",
            EventWeight.Anomaly
        );
}

/// <summary>
/// Rule 8 when the answer was lost: the station started with the payment's idTag on the connector whose start had been
/// counted as failed (it had not answered, or its answer went astray), while the payment still waited for another. The
/// car charges on this payment: the payment goes back to that connector, as if the station had accepted.
/// </summary>
[StoredName("remote_start_confirmed_late_v1")]
public sealed record RemoteStartConfirmedLate(
    string PaymentId,
    string ChargePointId,
    int ConnectorId,
    string IdTag,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new(
            "start confirmed late",
            "the station started with the payment's idTag after its start had been counted as "
                + "failed (the answer went astray); the payment, still waiting, went back to it "
                + "(rule 8)",
            EventWeight.Anomaly
        );
}

/// <summary>
/// Rule 15: the station rebooted before charging began on a start it had been asked for. The start is lost, not
/// refused: the payment waits again in its place, kept for this connector alone: it restarts there once the connector
/// reports Preparing anew, and is voided if the connector reports Available (the car left) or nothing comes within the
/// payment wait.
/// </summary>
[StoredName("remote_start_lost_v1")]
public sealed record RemoteStartLost(string PaymentId, string ChargePointId, int ConnectorId, DateTimeOffset At)
    : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => new(ChargePointId, ConnectorId);

    public EventDescription Describe() =>
        new(
            "start lost",
            "the station rebooted before charging began: the start was lost, not refused; the "
                + "payment waits again, kept for this connector alone, and restarts there once it "
                + "reports Preparing anew (rule 15)",
            EventWeight.Anomaly
        );
}
