namespace ChargeLink.Domain.Groups;

/// <summary>The acts an operator may do, as the record names them.</summary>
public static class OperatorActs
{
    /// <summary>Void a payment that waits for a connector.</summary>
    public const string VoidPayment = "void-payment";

    /// <summary>Release the cable locked in a connector (UnlockConnector).</summary>
    public const string UnlockConnector = "unlock-connector";

    /// <summary>Stop a charging session (RemoteStopTransaction, 2.x RequestStopTransaction); it settles by the usual
    /// rules from the station's own readings.</summary>
    public const string StopSession = "stop-session";

    /// <summary>Reset a station (Option "hard" or "soft"); what follows is a reboot as any other (rule 15).</summary>
    public const string ResetStation = "reset-station";

    /// <summary>Ask a connector's station for a fresh StatusNotification (TriggerMessage).</summary>
    public const string TriggerStatus = "trigger-status";

    /// <summary>Take a connector out of service (ChangeAvailability Inoperative): from the act on it is never a
    /// candidate, whatever the station answers, until an operator returns it.</summary>
    public const string TakeOutOfService = "take-out-of-service";

    /// <summary>Return a connector to service (ChangeAvailability Operative): a candidate again when it reports
    /// Preparing.</summary>
    public const string ReturnToService = "return-to-service";

    /// <summary>The acts a station carries out, and answers.</summary>
    public static readonly IReadOnlySet<string> OnStations = new HashSet<string>(StringComparer.Ordinal)
    {
        UnlockConnector,
        StopSession,
        ResetStation,
        TriggerStatus,
        TakeOutOfService,
        ReturnToService,
    };

    /// <summary>The acts on one connector (the others are on a station).</summary>
    public static readonly IReadOnlySet<string> OnConnectors = new HashSet<string>(StringComparer.Ordinal)
    {
        UnlockConnector,
        StopSession,
        TriggerStatus,
        TakeOutOfService,
        ReturnToService,
    };

    /// <summary>The answer recorded for a stop whose session no longer charges when the group decides it, and the
    /// option that marks such a stop's act (nothing is sent for it).</summary>
    public const string NotCharging = "NotCharging";
}

/// <summary>
/// An operator acted on the group: who (the operator's name from the credentials file), what
/// (<see cref="OperatorActs"/>), on which payment or connector, why (the reason the operator gave), when. What the
/// act did follows it in the stream (a void: <see cref="PaymentVoidRequested"/> with
/// <see cref="VoidReason.VoidedByOperator"/>).
/// </summary>
[StoredName("operator_acted_v1")]
public sealed record OperatorActed(
    string ActId,
    string Act,
    string Operator,
    string Reason,
    string? PaymentId,
    string? ChargePointId,
    int? ConnectorId,
    int? TransactionId,
    DateTimeOffset At,
    string? Option = null
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector =>
        ChargePointId is { } station && ConnectorId is { } connector ? new(station, connector) : null;

    public EventDescription Describe() =>
        new(
            "operator act",
            $"{Operator}: {Act}"
                + (Option is { } option ? $" {option}" : "")
                + (ChargePointId is { } station ? $" on {station}" + (ConnectorId is { } c ? $"/{c}" : "") : "")
                + $" ({Reason})",
            EventWeight.Anomaly
        );
}

/// <summary>The station's answer to an operator's act (<see cref="OperatorActed"/> of the same act id): its own status
/// (Unlocked, UnlockFailed, ...), or TimedOut, Offline or Failed when it gave none. What the act was and on which
/// connector, where the group still knew it when the answer came (for the audit's reader; events stored before carry
/// neither).</summary>
[StoredName("operator_act_answered_v1")]
public sealed record OperatorActAnswered(
    string ActId,
    string ChargePointId,
    string Answer,
    DateTimeOffset At,
    string? PaymentId = null,
    string? Act = null,
    int? ConnectorId = null
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector => ConnectorId is { } connector ? new(ChargePointId, connector) : null;

    public EventDescription Describe() =>
        new(
            "operator act answered",
            $"{ChargePointId} answered act {ActId}"
                + (Act is { } act ? $" ({act}" + (ConnectorId is { } c ? $" on {ChargePointId}/{c})" : ")") : "")
                + $": {Answer}",
            EventWeight.Anomaly
        );
}
