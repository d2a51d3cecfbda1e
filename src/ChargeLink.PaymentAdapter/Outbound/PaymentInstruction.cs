namespace ChargeLink.PaymentAdapter.Outbound;

/// <summary>What ChargeLink tells the payment cloud to do with a payment: exactly one per payment.</summary>
public abstract record PaymentInstruction(string PaymentId)
{
    public abstract string Type { get; }

    /// <summary>The AMQP message_id: the same for every repeat, so the cloud can drop them.</summary>
    public string MessageId => $"{PaymentId}:{Type}";
}

public sealed record CaptureInstruction(
    string PaymentId,
    long AmountMinor,
    string Currency,
    long EnergyWh,
    string SessionId
) : PaymentInstruction(PaymentId)
{
    public override string Type => "payment.capture";
}

public sealed record VoidInstruction(string PaymentId, string Reason) : PaymentInstruction(PaymentId)
{
    public override string Type => "payment.void";
}
