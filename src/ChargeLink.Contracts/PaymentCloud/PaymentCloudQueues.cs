namespace ChargeLink.Contracts.PaymentCloud;

/// <summary>The payment cloud's two durable queues on the default vhost, the header that signs each message, and its
/// broker account.</summary>
public static class PaymentCloudQueues
{
    public const string Authorizations = "payment-cloud.authorizations";
    public const string Instructions = "payment-cloud.instructions";

    /// <summary>Where invalid authorizations go, with their bytes and headers as they came plus the reason.</summary>
    public const string AuthorizationsDeadLetter = Authorizations + "_error";

    public const string SignatureHeader = "x-chargelink-signature";

    /// <summary>The payment cloud's own broker account (a contract): this user, on the payment cloud's vhost.</summary>
    public const string BrokerUser = "payment-cloud";

    public const string BrokerPasswordVariable = "CHARGELINK_PAYMENT_CLOUD_BROKER_PASSWORD";

    /// <summary>The development default of <see cref="BrokerPasswordVariable"/>, which `make run` states.</summary>
    public const string DevelopmentBrokerPassword = "dev-payment-cloud";
}
