using ChargeLink.Domain.Groups;

namespace ChargeLink.UnitTests.Domain;

public sealed class IdTagTests
{
    [TestCase("pay_7Hq2xK9")]
    [TestCase("p")]
    [TestCase("a-payment-id-that-is-exactly-sixty-four-characters-long-00000000")]
    public void An_idTag_is_a_CiString20_derived_from_the_payment(string paymentId)
    {
        var tag = IdTag.ForPayment(paymentId);
        Assert.That(tag, Has.Length.EqualTo(20).And.Match("^CL[A-Z2-7]{18}$"));
        Assert.That(IdTag.ForPayment(paymentId), Is.EqualTo(tag), "deterministic, so a repeated decision repeats the tag");
    }

    [Test]
    public void Different_payments_get_different_tags()
    {
        var tags = Enumerable.Range(0, 10_000).Select(i => IdTag.ForPayment($"pay_{i}")).ToHashSet();
        Assert.That(tags, Has.Count.EqualTo(10_000));
    }
}
