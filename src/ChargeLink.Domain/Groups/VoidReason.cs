namespace ChargeLink.Domain.Groups;

/// <summary>Why a payment was voided; the strings are the payment cloud's contract.</summary>
public static class VoidReason
{
    /// <summary>No connector of the group became occupied while the payment waited.</summary>
    public const string NoConnectorOccupied = "no-connector-occupied";

    /// <summary>The authorization named a terminal that belongs to no station group.</summary>
    public const string UnknownTerminal = "unknown-terminal";

    /// <summary>Stations refused, were offline or did not answer, and no other connector took the payment in time.</summary>
    public const string StationRejected = "station-rejected";

    /// <summary>The station accepted the remote start but no transaction started within the bound.</summary>
    public const string ChargingNotStarted = "charging-not-started";

    /// <summary>The session ended having delivered no energy.</summary>
    public const string NoEnergyDelivered = "no-energy-delivered";

    /// <summary>
    /// Rule 12: the station never reported the end of a session that ran past the bound, and no meter reading ChargeLink
    /// holds shows energy delivered: nothing is charged without evidence.
    /// </summary>
    public const string StopNeverReported = "stop-never-reported";

    /// <summary>Energy was delivered but its price rounds to nothing (a free tariff, say).</summary>
    public const string NothingToCapture = "nothing-to-capture";

    /// <summary>A reason in an operator's words.</summary>
    public static string Meaning(string reason) => reason switch
    {
        UnknownTerminal => "the terminal is in no station group",
        NoConnectorOccupied => "no connector of the group became occupied in time",
        StationRejected => "the stations refused, were offline or did not answer, and no other connector waited",
        ChargingNotStarted => "the station accepted but started no transaction in time, or the car left before it did",
        NoEnergyDelivered => "the session delivered no energy",
        NothingToCapture => "the energy's price rounds to nothing",
        StopNeverReported => "the station never reported the session's end and no meter reading showed energy",
        _ => "see the void reasons in the README",
    };
}
