namespace ChargeLink.Domain.Groups;

/// <summary>
/// Rule 8, the money invariant, as the payment adapter checks it a second time before it signs anything: against its
/// own record of the authorization, never against what the message asking for the instruction says about it. The
/// decider guarantees the same; this check is there for when the decider was wrong, or the message did not come from
/// it.
/// </summary>
public static class MoneyCheck
{
    /// <summary>Why an instruction is refused (the label of the adapter's refusal counter).</summary>
    public static class Refusal
    {
        /// <summary>No authorization of that payment was ever passed on.</summary>
        public const string NotAuthorized = "not-authorized";

        /// <summary>The payment was authorized at a terminal of another group than the one asking.</summary>
        public const string OtherGroup = "other-group";

        /// <summary>A capture of 0 or less, or of more than the hold.</summary>
        public const string AmountOutOfRange = "amount-out-of-range";

        /// <summary>A capture in another currency than the hold's.</summary>
        public const string CurrencyMismatch = "currency-mismatch";

        /// <summary>A capture for no energy, or a negative energy.</summary>
        public const string NoEnergy = "no-energy";

        /// <summary>The payment already had a different instruction: exactly one per payment.</summary>
        public const string AlreadySettled = "already-settled";
    }

    /// <summary>Why <paramref name="instruction"/> must not be signed, or null when it may.</summary>
    /// <param name="hold">The adapter's own record of the payment's authorization; null when it has none.</param>
    public static string? RefusalOf(PaymentHold? hold, Settlement instruction)
    {
        if (hold is null)
            return Refusal.NotAuthorized;
        if (!string.Equals(hold.GroupId, instruction.GroupId, StringComparison.Ordinal))
            return Refusal.OtherGroup;
        if (hold.Settled is { } earlier && earlier != instruction)
            return Refusal.AlreadySettled;
        if (instruction.Kind == SettlementKind.Void)
            return null;
        if (!string.Equals(instruction.Currency, hold.Currency, StringComparison.Ordinal))
            return Refusal.CurrencyMismatch;
        if (instruction.AmountMinor <= 0 || instruction.AmountMinor > hold.HeldMinor)
            return Refusal.AmountOutOfRange;
        if (instruction.EnergyWh <= 0 || instruction.EnergyWh > MeterBounds.MaxRegisterWh)
            return Refusal.NoEnergy;
        return null;
    }
}

/// <summary>What the adapter recorded of an authorization it passed on, and the one instruction it signed for it, if
/// any.</summary>
public sealed record PaymentHold(string GroupId, long HeldMinor, string Currency, Settlement? Settled);

public enum SettlementKind
{
    Capture,
    Void,
}

/// <summary>An instruction asked for: a capture (amount, currency and energy set) or a void (zeros and
/// empty).</summary>
public sealed record Settlement(string GroupId, SettlementKind Kind, long AmountMinor, string Currency, long EnergyWh)
{
    public static Settlement Capture(string groupId, long amountMinor, string currency, long energyWh) =>
        new(groupId, SettlementKind.Capture, amountMinor, currency, energyWh);

    public static Settlement Void(string groupId) => new(groupId, SettlementKind.Void, 0, "", 0);
}
