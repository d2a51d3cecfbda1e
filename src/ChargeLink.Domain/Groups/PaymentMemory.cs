namespace ChargeLink.Domain.Groups;

/// <summary>
/// What the group remembers of a payment it has seen and not yet forgotten (the retention rule, README): when it was
/// authorized (null for a cancellation recorded before its authorization, in streams written before the router held
/// cancellations back), when it was settled, the idTags stations were given for it and the transactions that ran or
/// were asked to stop under it.
/// </summary>
public sealed record PaymentMemory(
    DateTimeOffset? AuthorizedAt,
    DateTimeOffset? SettledAt,
    ImmutableArray<string> Tags,
    ImmutableArray<TransactionRef> Transactions
)
{
    /// <summary>The moment the retention counts from: the later of its settlement and its authorization.</summary>
    public DateTimeOffset? RetainedFrom =>
        SettledAt is { } settled
            ? (AuthorizedAt is { } authorized && authorized > settled ? authorized : settled)
            : null;
}

/// <summary>A station's transaction, as its StartTransaction and StopTransaction name it.</summary>
public sealed record TransactionRef(string ChargePointId, int TransactionId);
