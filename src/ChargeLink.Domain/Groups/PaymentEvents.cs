namespace ChargeLink.Domain.Groups;

/// <summary>
/// Rules 1 and 5: an authorized payment reached the group of its terminal and waits for a connector.
/// <paramref name="PricePerKwhMinor"/> is the tariff when it arrived: the price its session is settled at, even if the
/// topology changes or drops the group meanwhile (absent from events written before it was recorded).
/// </summary>
[StoredName("payment_authorization_received_v1")]
public sealed record PaymentAuthorizationReceived(
    string PaymentId,
    string TerminalId,
    long AmountMinor,
    string Currency,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset ReceivedAt,
    long? PricePerKwhMinor = null
) : IGroupEvent
{
    public EventDescription Describe() =>
        new("payment authorized", $"{Money.Describe(AmountMinor, Currency)} held, tapped at terminal {TerminalId}");
}

/// <summary>Rule 5: the driver cancelled a payment that had not started charging: it is dropped, with no
/// void.</summary>
[StoredName("payment_cancelled_v1")]
public sealed record PaymentCancelled(string PaymentId, DateTimeOffset At) : IGroupEvent
{
    public EventDescription Describe() =>
        new(
            "payment cancelled",
            "the driver cancelled at the terminal before charging: dropped, no instruction (rule 5)"
        );
}

/// <summary>Rules 10 and 11: the payment is to be captured for this amount (energy x tariff, never above the
/// hold).</summary>
[StoredName("payment_capture_requested_v1")]
public sealed record PaymentCaptureRequested(
    string PaymentId,
    long AmountMinor,
    string Currency,
    long EnergyWh,
    string SessionId,
    DateTimeOffset At
) : IGroupEvent
{
    public EventDescription Describe() =>
        new(
            "capture",
            $"{Money.Describe(AmountMinor, Currency)} for {EnergyWh} Wh (session {SessionId}; rules 10 and 11)"
        );
}

/// <summary>
/// The retention rule's other side: an authorization reached the group past the retention period (an outage held it in
/// the queue). The group cannot tell a late payment from a settled one it has forgotten, so it remembers nothing of it
/// and asks for a void that the payment adapter sends only if the payment has no instruction yet (its ledger keeps
/// every payment's for 30 days): a late payment's hold is released, a forgotten one's instruction stands.
/// </summary>
[StoredName("payment_authorization_expired_v1")]
public sealed record PaymentAuthorizationExpired(
    string PaymentId,
    string TerminalId,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset At
) : IGroupEvent
{
    public EventDescription Describe() =>
        new(
            "void unless settled",
            $"authorized at {AuthorizedAt:u}, past the retention period: "
                + VoidReason.Meaning(VoidReason.AuthorizationExpired)
        );
}

/// <summary>Rule 11: the payment is to be voided; <paramref name="Reason"/> is one of <see
/// cref="VoidReason"/>.</summary>
[StoredName("payment_void_requested_v1")]
public sealed record PaymentVoidRequested(string PaymentId, string Reason, DateTimeOffset At) : IGroupEvent
{
    public EventDescription Describe() => new("void", $"{Reason}: {VoidReason.Meaning(Reason)} (rule 11)");
}

/// <summary>
/// The retention rule (README): these settled payments can no longer be named by any message the group would accept, so
/// the group forgets them, with the idTags stations were given for them and their transactions, and these early stops
/// whose start never came. Nothing is sent; the events about them stay in the stream for the audit.
/// </summary>
[StoredName("payments_forgotten_v1")]
public sealed record PaymentsForgotten(
    IReadOnlyList<string> PaymentIds,
    IReadOnlyList<TransactionRef> EarlyStops,
    DateTimeOffset At
) : IGroupEvent
{
    public EventDescription Describe() =>
        new(
            "payments forgotten",
            $"{PaymentIds.Count} settled payment(s) and {EarlyStops.Count} early stop(s) past "
                + "the retention period: forgotten by the group, kept in the log (retention rule)",
            EventWeight.Routine
        );
}
