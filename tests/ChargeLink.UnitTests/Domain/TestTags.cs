using ChargeLink.Domain.Groups;

namespace ChargeLink.UnitTests.Domain;

/// <summary>The idTag key of the decider's unit tests, and a payment's tag under it.</summary>
internal static class TestTags
{
    public static readonly byte[] Key = "unit-tests-idtag-key"u8.ToArray();

    public static string For(string paymentId) => IdTag.ForPayment(paymentId, Key);
}
