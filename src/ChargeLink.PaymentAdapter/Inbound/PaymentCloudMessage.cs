namespace ChargeLink.PaymentAdapter.Inbound;

/// <summary>A validated message from payment-cloud.authorizations.</summary>
public abstract record PaymentCloudMessage(string PaymentId);

public sealed record PaymentAuthorizedMessage(
    string PaymentId,
    string TerminalId,
    long AmountMinor,
    string Currency,
    DateTimeOffset AuthorizedAt,
    string? MaskedPan
) : PaymentCloudMessage(PaymentId)
{
    // The masked PAN is already masked, but only its last four digits ever reach a log.
    public string? CardLastFour => MaskedPan is { Length: >= 4 } pan ? pan[^4..] : null;

    public override string ToString() =>
        $"PaymentAuthorizedMessage {{ PaymentId = {PaymentId}, TerminalId = {TerminalId}, "
        + $"Amount = {AmountMinor} {Currency}, AuthorizedAt = {AuthorizedAt:O}, Card = "
        + $"****{CardLastFour} }}";
}

public sealed record PaymentCancelledMessage(string PaymentId) : PaymentCloudMessage(PaymentId);

/// <summary>The message cannot be used; it is dead-lettered with <see cref="Exception.Message"/> as the
/// reason.</summary>
/// <param name="check">Which check refused it (<see cref="RejectionCheck"/>), for counting.</param>
public sealed class PaymentMessageRejectedException(string reason, string check = RejectionCheck.Body)
    : Exception(reason)
{
    public string Check { get; } = check;
}

/// <summary>The checks an inbound payment message passes, in order.</summary>
public static class RejectionCheck
{
    public const string Signature = "signature";
    public const string Body = "body";
    public const string Age = "age";

    /// <summary>A hold ChargeLink can never capture: not the group tariff's currency, or above the maximum
    /// hold.</summary>
    public const string Amount = "amount";

    /// <summary>A paymentId already authorized with another terminal, amount or currency.</summary>
    public const string Duplicate = "duplicate";
}

/// <summary>The empty body type MassTransit's raw-JSON endpoint binds to; the consumer reads the exact bytes
/// itself.</summary>
public sealed record RawPaymentCloudBody;
