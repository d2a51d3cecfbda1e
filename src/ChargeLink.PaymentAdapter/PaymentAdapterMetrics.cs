using System.Diagnostics.Metrics;

namespace ChargeLink.PaymentAdapter;

/// <summary>Counters of the payment adapter (meter "ChargeLink.PaymentAdapter"), on /metrics as
/// chargelink_paymentadapter_*.</summary>
public static class PaymentAdapterMetrics
{
    private static readonly Meter Meter = new("ChargeLink.PaymentAdapter");

    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        "dead_lettered",
        description: "payment cloud messages moved to the dead-letter queue, by the check that refused them"
    );

    public static readonly Counter<long> DeadLettersReturned = Meter.CreateCounter<long>(
        "dead_letters_returned",
        description: "dead letters that came back into payment-cloud.authorizations, dropped rather than refused again"
    );

    public static readonly Counter<long> Authorized = Meter.CreateCounter<long>(
        "authorized",
        description: "authorizations passed on to the orchestrator"
    );

    public static readonly Counter<long> InstructionsRefused = Meter.CreateCounter<long>(
        "instructions_refused",
        description: "captures and voids not sent because they fail the money check, by the check's reason"
    );
}
