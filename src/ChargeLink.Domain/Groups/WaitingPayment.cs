namespace ChargeLink.Domain.Groups;

/// <summary>An authorized payment that waits for a connector, with the connectors that already failed it.</summary>
/// <param name="PinnedTo">Rule 15: the connector whose start a reboot lost; the payment restarts there or
/// nowhere.</param>
/// <param name="PinnedSince">When it was kept for that connector: its wait counts from then.</param>
/// <param name="PricePerKwhMinor">The tariff when the payment arrived (null in streams written before it was
/// recorded).</param>
public sealed record WaitingPayment(
    string PaymentId,
    string TerminalId,
    Money Amount,
    DateTimeOffset ReceivedAt,
    ImmutableHashSet<ConnectorRef> Excluded,
    int FailedStarts,
    ConnectorRef? PinnedTo = null,
    DateTimeOffset? PinnedSince = null,
    long? PricePerKwhMinor = null
)
{
    public bool MayUse(ConnectorRef connector) =>
        PinnedTo is { } pinned ? pinned == connector && !Excluded.Contains(connector) : !Excluded.Contains(connector);

    /// <summary>Rules 5 and 15: when the payment has waited long enough to be voided.</summary>
    public DateTimeOffset WaitsUntil(GroupPolicy policy) => (PinnedSince ?? ReceivedAt) + policy.PaymentWait;

    /// <summary>Whether <paramref name="connector"/> was asked to start for this payment (its start failed or was lost
    /// there).</summary>
    public bool WasAsked(ConnectorRef connector) => Excluded.Contains(connector) || PinnedTo == connector;
}
