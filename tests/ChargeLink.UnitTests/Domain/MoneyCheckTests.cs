using ChargeLink.Domain.Groups;

namespace ChargeLink.UnitTests.Domain;

/// <summary>
/// Rule 8 as the payment adapter checks it again before signing: against its own record of the hold (5,000 EUR cents at a
/// terminal of site-a), whatever the request says. Each case is one way the request can be wrong.
/// </summary>
public sealed class MoneyCheckTests
{
    private static readonly PaymentHold Hold = new("site-a", 5000, "EUR", Settled: null);

    private static IEnumerable<TestCaseData> Refused()
    {
        yield return new TestCaseData(null, Settlement.Capture("site-a", 100, "EUR", 2000), MoneyCheck.Refusal.NotAuthorized).SetName("A capture of a payment never authorized is refused");
        yield return new TestCaseData(null, Settlement.Void("site-a"), MoneyCheck.Refusal.NotAuthorized).SetName("A void of a payment never authorized is refused");
        yield return new TestCaseData(Hold, Settlement.Capture("site-b", 100, "EUR", 2000), MoneyCheck.Refusal.OtherGroup).SetName("A capture asked for by another group is refused");
        yield return new TestCaseData(Hold, Settlement.Capture("site-a", 5001, "EUR", 2000), MoneyCheck.Refusal.AmountOutOfRange).SetName("A capture above the hold is refused");
        yield return new TestCaseData(Hold, Settlement.Capture("site-a", 0, "EUR", 2000), MoneyCheck.Refusal.AmountOutOfRange).SetName("A capture of zero is refused");
        yield return new TestCaseData(Hold, Settlement.Capture("site-a", -415_051_741_561_828_160, "EUR", 2000), MoneyCheck.Refusal.AmountOutOfRange).SetName("A negative capture is refused");
        yield return new TestCaseData(Hold, Settlement.Capture("site-a", 540, "JPY", 12_000), MoneyCheck.Refusal.CurrencyMismatch).SetName("A capture in another currency than the hold's is refused");
        yield return new TestCaseData(Hold, Settlement.Capture("site-a", 100, "EUR", 0), MoneyCheck.Refusal.NoEnergy).SetName("A capture for no energy is refused");
        yield return new TestCaseData(Hold with { Settled = Settlement.Void("site-a") }, Settlement.Capture("site-a", 100, "EUR", 2000), MoneyCheck.Refusal.AlreadySettled).SetName("A capture after a void is refused");
        yield return new TestCaseData(Hold with { Settled = Settlement.Capture("site-a", 100, "EUR", 2000) }, Settlement.Capture("site-a", 200, "EUR", 4000), MoneyCheck.Refusal.AlreadySettled).SetName("A second capture of another amount is refused");
        yield return new TestCaseData(Hold with { Settled = Settlement.Capture("site-a", 100, "EUR", 2000) }, Settlement.Void("site-a"), MoneyCheck.Refusal.AlreadySettled).SetName("A void after a capture is refused");
    }

    [TestCaseSource(nameof(Refused))]
    public void An_instruction_that_breaks_the_invariant_is_refused(PaymentHold? hold, Settlement instruction, string refusal) =>
        Assert.That(MoneyCheck.RefusalOf(hold, instruction), Is.EqualTo(refusal));

    [Test]
    public void A_capture_within_the_hold_in_its_currency_is_signed_and_so_is_its_repeat()
    {
        var capture = Settlement.Capture("site-a", 5000, "EUR", 200_000);
        Assert.Multiple(() =>
        {
            Assert.That(MoneyCheck.RefusalOf(Hold, capture), Is.Null, "the whole hold, no more");
            Assert.That(MoneyCheck.RefusalOf(Hold with { Settled = capture }, capture), Is.Null, "the same instruction again (a redelivery)");
            Assert.That(MoneyCheck.RefusalOf(Hold, Settlement.Void("site-a")), Is.Null, "a void of an open payment");
        });
    }
}
