using Microsoft.Extensions.Configuration;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// A RabbitMQ login. Each party has its own, so the broker can refuse what a party has no business doing: a service
/// publishes only the messages it produces, and the payment cloud reaches its two queues and nothing else
/// (infra/rabbitmq-accounts.sh grants each account its permissions).
/// </summary>
public sealed record BrokerAccount(string User, string Password)
{
    /// <summary>
    /// The account of one ChargeLink service: user CHARGELINK_{SERVICE}_BROKER_USER (else chargelink-{service}),
    /// password CHARGELINK_{SERVICE}_BROKER_PASSWORD (else the development default dev-{service}, which `make run`
    /// states).
    /// </summary>
    public static BrokerAccount Of(string service, IConfiguration configuration)
    {
        var prefix = $"CHARGELINK_{service.ToUpperInvariant().Replace('-', '_')}_BROKER_";
        return new BrokerAccount(
            configuration[prefix + "USER"] is { Length: > 0 } user ? user : $"chargelink-{service}",
            configuration[prefix + "PASSWORD"] is { Length: > 0 } password ? password : $"dev-{service}"
        );
    }

    // Keeps the password out of logs and exception messages that print the record.
    public override string ToString() => $"BrokerAccount {{ User = {User} }}";
}
