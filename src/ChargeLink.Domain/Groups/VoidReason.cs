namespace ChargeLink.Domain.Groups;

/// <summary>Why a payment was voided; the strings are the payment cloud's contract.</summary>
public static class VoidReason
{
    /// <summary>No connector of the group became occupied while the payment waited.</summary>
    public const string NoConnectorOccupied = "no-connector-occupied";

    /// <summary>The authorization named a terminal that belongs to no station group.</summary>
    public const string UnknownTerminal = "unknown-terminal";

    /// <summary>Stations refused, were offline or did not answer, and no other connector took the payment in
    /// time.</summary>
    public const string StationRejected = "station-rejected";

    /// <summary>The station accepted the remote start but no transaction started within the bound.</summary>
    public const string ChargingNotStarted = "charging-not-started";

    /// <summary>The session ended having delivered no energy.</summary>
    public const string NoEnergyDelivered = "no-energy-delivered";

    /// <summary>
    /// Rule 12: the station never reported the end of a session that ran past the bound, and no meter reading
    /// ChargeLink holds shows energy delivered: nothing is charged without evidence.
    /// </summary>
    public const string StopNeverReported = "stop-never-reported";

    /// <summary>Energy was delivered but its price rounds to nothing (a free tariff, say).</summary>
    public const string NothingToCapture = "nothing-to-capture";

    /// <summary>The payment's currency is not the one of the group's tariff: nothing could be priced in it.</summary>
    public const string CurrencyNotAccepted = "currency-not-accepted";

    /// <summary>The payment holds more than the configured maximum hold (CHARGELINK_PAYMENT_MAX_HOLD_MINOR).</summary>
    public const string HoldAboveMaximum = "hold-above-maximum";

    /// <summary>The payment's station group left the topology before the payment started charging.</summary>
    public const string GroupRemoved = "group-removed";

    /// <summary>
    /// The session's meter readings cannot be believed: they run backwards, or show more energy than the connector
    /// could deliver in the session's time. Nothing is charged on readings that are not evidence.
    /// </summary>
    public const string MeterImplausible = "meter-implausible";

    /// <summary>An operator voided the payment while it waited for a connector (the driver gave up).</summary>
    public const string VoidedByOperator = "voided-by-operator";

    /// <summary>The authorization reached its group past the retention period (an outage held it), too late to start
    /// charging; voided only if the payment had no instruction yet.</summary>
    public const string AuthorizationExpired = "authorization-expired";

    /// <summary>A reason in an operator's words.</summary>
    public static string Meaning(string reason) =>
        reason switch
        {
            UnknownTerminal => "the terminal is in no station group",
            NoConnectorOccupied => "no connector of the group became occupied in time",
            StationRejected => "the stations refused, were offline or did not answer, and no other connector waited",
            ChargingNotStarted =>
                "the station accepted but started no transaction in time, or the car left before it did",
            NoEnergyDelivered => "the session delivered no energy",
            NothingToCapture => "the energy's price rounds to nothing",
            StopNeverReported => "the station never reported the session's end and no meter reading showed energy",
            CurrencyNotAccepted => "the payment's currency is not the site tariff's",
            HoldAboveMaximum => "the payment held more than the maximum hold",
            GroupRemoved => "the site left the topology before charging began",
            VoidedByOperator => "an operator voided it while it waited for a connector",
            MeterImplausible => "the station's meter readings ran backwards or beyond what the connector could deliver",
            AuthorizationExpired =>
                "the authorization reached the site too late to start charging (past the retention period)",
            _ => "see the void reasons in the README",
        };
}
