namespace ChargeLink.Domain.Groups;

/// <summary>The acts an operator may do, as the record names them.</summary>
public static class OperatorActs
{
    /// <summary>Void a payment that waits for a connector.</summary>
    public const string VoidPayment = "void-payment";
}

/// <summary>
/// An operator acted on the group: who (the operator's name from the credentials file), what
/// (<see cref="OperatorActs"/>), on which payment or connector, why (the reason the operator gave), when. What the
/// act did follows it in the stream (a void: <see cref="PaymentVoidRequested"/> with
/// <see cref="VoidReason.VoidedByOperator"/>).
/// </summary>
[StoredName("operator_acted_v1")]
public sealed record OperatorActed(
    string Act,
    string Operator,
    string Reason,
    string? PaymentId,
    string? ChargePointId,
    int? ConnectorId,
    DateTimeOffset At
) : IGroupEvent
{
    ConnectorRef? IGroupEvent.Connector =>
        ChargePointId is { } station && ConnectorId is { } connector ? new(station, connector) : null;

    public EventDescription Describe() => new("operator act", $"{Operator}: {Act} ({Reason})", EventWeight.Anomaly);
}
