using ChargeLink.Contracts.PaymentCloud;

namespace ChargeLink.Cli;

/// <summary>
/// The broker URLs a tool needs, made from CHARGELINK_RABBITMQ (where the broker is, the payment cloud's vhost, and the
/// administrator's login): as the payment cloud, or as the administrator inside ChargeLink's own vhost.
/// </summary>
public static class BrokerUrls
{
    public const string DefaultBroker = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>CHARGELINK_RABBITMQ, else the contract's default.</summary>
    public static string Broker() => CliOptions.Env("CHARGELINK_RABBITMQ", DefaultBroker);

    /// <summary>The same broker and vhost, logged in to with the payment cloud's own account.</summary>
    public static string PaymentCloud(string broker) =>
        new UriBuilder(broker)
        {
            UserName = PaymentCloudQueues.BrokerUser,
            Password = Uri.EscapeDataString(
                CliOptions.Env(PaymentCloudQueues.BrokerPasswordVariable, PaymentCloudQueues.DevelopmentBrokerPassword)
            ),
        }.Uri.ToString();

    /// <summary>The same broker and login, in ChargeLink's own vhost (CHARGELINK_RABBITMQ_VHOST, else
    /// chargelink).</summary>
    public static string ChargeLinkVhost(string broker, string? vhost = null) =>
        new UriBuilder(broker)
        {
            Path = "/" + Uri.EscapeDataString(vhost ?? CliOptions.Env("CHARGELINK_RABBITMQ_VHOST", "chargelink")),
        }.Uri.ToString();
}
