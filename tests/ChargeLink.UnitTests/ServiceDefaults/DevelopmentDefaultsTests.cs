using ChargeLink.ServiceDefaults;
using Microsoft.Extensions.Configuration;

namespace ChargeLink.UnitTests.ServiceDefaults;

public sealed class DevelopmentDefaultsTests
{
    private static IConfiguration Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Test]
    public void Unset_the_mode_is_production_and_an_unknown_mode_stops_the_start()
    {
        Assert.That(DevelopmentDefaults.IsDevelopment(Configuration()), Is.False);
        Assert.That(DevelopmentDefaults.IsDevelopment(Configuration(("CHARGELINK_ENVIRONMENT", "Development"))), Is.True);
        Assert.That(() => DevelopmentDefaults.IsDevelopment(Configuration(("CHARGELINK_ENVIRONMENT", "prod"))), Throws.InvalidOperationException.With.Message.Contains("\"prod\""));
    }

    [Test]
    public void Each_service_is_refused_for_each_secret_it_uses_that_is_unset_or_any_development_value()
    {
        Assert.That(DevelopmentDefaults.Unsafe(Configuration(), "gateway"), Is.EqualTo(new[] { "CHARGELINK_GATEWAY_BROKER_PASSWORD is not set" }));
        Assert.That(DevelopmentDefaults.Unsafe(Configuration(("CHARGELINK_ORCHESTRATOR_BROKER_PASSWORD", "dev-gateway"), ("CHARGELINK_OPERATOR_TOKEN", "")), "orchestrator"), Is.EqualTo(new[]
        {
            "CHARGELINK_ORCHESTRATOR_BROKER_PASSWORD holds a development default ('dev-gateway')",
            "CHARGELINK_OPERATOR_TOKEN is not set",
        }));
        Assert.That(DevelopmentDefaults.Unsafe(Configuration(("CHARGELINK_PAYMENT_ADAPTER_BROKER_PASSWORD", "s3cret-broker"), ("CHARGELINK_PAYMENT_SECRET", "s3cret-signing"), ("CHARGELINK_PAYMENT_SECRET_PREVIOUS", "dev-secret")), "payment-adapter"),
            Is.EqualTo(new[] { "CHARGELINK_PAYMENT_SECRET_PREVIOUS holds a development default ('dev-secret')" }), "a rotated-out secret is optional, but never a development value");
        Assert.That(DevelopmentDefaults.Unsafe(Configuration(("CHARGELINK_ORCHESTRATOR_BROKER_PASSWORD", "s3cret-broker"), ("CHARGELINK_OPERATOR_TOKEN", "a")), "orchestrator"),
            Is.EqualTo(new[] { "CHARGELINK_OPERATOR_TOKEN is 1 characters; at least 12 outside development" }), "a secret that can be guessed is refused too");
        Assert.That(DevelopmentDefaults.Unsafe(Configuration(("CHARGELINK_PAYMENT_ADAPTER_BROKER_PASSWORD", "s3cret-broker"), ("CHARGELINK_PAYMENT_SECRET", "s3cret-signing")), "payment-adapter"), Is.Empty);
    }
}
