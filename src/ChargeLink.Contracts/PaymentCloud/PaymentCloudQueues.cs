namespace ChargeLink.Contracts.PaymentCloud;

/// <summary>The payment cloud's two durable queues on the default vhost, and the header that signs each message.</summary>
public static class PaymentCloudQueues
{
    public const string Authorizations = "payment-cloud.authorizations";
    public const string Instructions = "payment-cloud.instructions";

    /// <summary>Where invalid authorizations go, with their bytes and headers as they came plus the reason.</summary>
    public const string AuthorizationsDeadLetter = Authorizations + "_error";

    public const string SignatureHeader = "x-chargelink-signature";
}
