using Microsoft.Extensions.Configuration;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// Development is a mode, not a default: the secrets below have development values that let `make run` and the tests
/// start with nothing set, but only where CHARGELINK_ENVIRONMENT=development says so. Anywhere else a service refuses
/// to start while a secret it uses is unset or holds any development value (one is as public as another: they are in
/// README).
/// </summary>
public static class DevelopmentDefaults
{
    public const string EnvironmentVariable = "CHARGELINK_ENVIRONMENT";
    public const string Development = "development";
    public const string Production = "production";

    /// <summary>Every development value of a secret, whichever variable it stands in for.</summary>
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal)
    {
        ChargeLinkSettings.DevelopmentPaymentSecret,
        ChargeLinkSettings.DevelopmentOperatorToken,
        "dev-gateway",
        "dev-orchestrator",
        "dev-payment-adapter",
        "dev-payment-cloud",
    };

    /// <summary>
    /// Whether CHARGELINK_ENVIRONMENT says development; unset is production. Any other value stops the start: a typo
    /// must not decide which secrets guard a payment system.
    /// </summary>
    public static bool IsDevelopment(IConfiguration configuration) =>
        (configuration[EnvironmentVariable] ?? Production).ToLowerInvariant() switch
        {
            Development => true,
            Production or "" => false,
            var other => throw new InvalidOperationException(
                $"{EnvironmentVariable}: \"{other}\" is neither {Development} nor {Production}"
            ),
        };

    /// <summary>The secrets <paramref name="service"/> uses: (variable, whether it must be set).</summary>
    public static IEnumerable<(string Variable, bool Required)> SecretsOf(string service)
    {
        yield return ($"CHARGELINK_{service.ToUpperInvariant().Replace('-', '_')}_BROKER_PASSWORD", true);
        if (service == "orchestrator")
            yield return ("CHARGELINK_OPERATOR_TOKEN", true);
        if (service == "payment-adapter")
        {
            yield return ("CHARGELINK_PAYMENT_SECRET", true);
            yield return ("CHARGELINK_PAYMENT_SECRET_PREVIOUS", false);
        }
    }

    /// <summary>The shortest secret accepted outside development: a password, a token or a signing key of a few
    /// characters is guessed, throttled or not (a review found "a" accepted).</summary>
    public const int MinimumSecretLength = 12;

    /// <summary>What is wrong with <paramref name="service"/>'s secrets outside development, one line per secret (none:
    /// all set).</summary>
    public static IReadOnlyList<string> Unsafe(IConfiguration configuration, string service) =>
        [
            .. SecretsOf(service)
                .Select(secret => (secret.Variable, secret.Required, Value: configuration[secret.Variable]))
                .Select(secret =>
                    secret switch
                    {
                        { Value: null or "", Required: true } => $"{secret.Variable} is not set",
                        { Value: { } value } when Values.Contains(value) =>
                            $"{secret.Variable} holds a development default ('{value}')",
                        { Value: { Length: > 0 and < MinimumSecretLength } value } =>
                            $"{secret.Variable} is {value.Length} characters; at least {MinimumSecretLength} "
                                + "outside development",
                        _ => null,
                    }
                )
                .OfType<string>(),
        ];

    /// <summary>The secrets of <paramref name="service"/> that run on a development value now (for the development
    /// mode's warning).</summary>
    public static IReadOnlyList<string> InUse(IConfiguration configuration, string service) =>
        [
            .. SecretsOf(service)
                .Where(secret =>
                    (secret.Required && configuration[secret.Variable] is not { Length: > 0 })
                    || (configuration[secret.Variable] is { } value && Values.Contains(value))
                )
                .Select(secret => secret.Variable),
        ];
}

/// <summary>A service asked to start outside development with a secret unset or at a development value.</summary>
public sealed class UnsafeSettingsException(string service, IReadOnlyList<string> problems)
    : Exception(
        $"{service} refuses to start outside development "
            + $"({DevelopmentDefaults.EnvironmentVariable}={DevelopmentDefaults.Development}): "
            + string.Join("; ", problems)
    )
{
    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>One line per problem, then what to do: what the service writes before it exits.</summary>
    public IEnumerable<string> Lines(string service) =>
        Problems
            .Select(problem => $"{service}: refusing to start: {problem}")
            .Append(
                $"{service}: set each to a secret of this deployment, or "
                    + $"{DevelopmentDefaults.EnvironmentVariable}={DevelopmentDefaults.Development} on a "
                    + "development machine (make run does)"
            );
}
