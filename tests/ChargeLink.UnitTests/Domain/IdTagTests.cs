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

    [Test]
    public void The_tag_is_CL_and_the_first_90_bits_of_the_payment_s_SHA_256_in_RFC_4648_base32()
    {
        // Worked out here another way: the hash as a string of bits, read five at a time.
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("pay_7Hq2xK9"));
        var bits = string.Concat(hash.Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        var expected = "CL" + string.Concat(Enumerable.Range(0, 18).Select(i => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[Convert.ToInt32(bits.Substring(i * 5, 5), 2)]));
        Assert.That(IdTag.ForPayment("pay_7Hq2xK9"), Is.EqualTo(expected));
    }

    [Test]
    public void A_payment_s_tag_has_the_payment_shape()
    {
        var tag = IdTag.ForPayment("pay_7Hq2xK9");
        Assert.Multiple(() =>
        {
            Assert.That(IdTag.IsPaymentShaped(tag), Is.True);
            Assert.That(IdTag.IsPaymentShaped(tag[..19]), Is.False, "too short");
            Assert.That(IdTag.IsPaymentShaped("XX" + tag[2..]), Is.False, "another prefix");
            Assert.That(IdTag.IsPaymentShaped(tag[..19] + "1"), Is.False, "1 is not base32");
            Assert.That(IdTag.IsPaymentShaped("CL" + "a" + tag[3..]), Is.False, "lower case");
            Assert.That(IdTag.IsPaymentShaped("RFID-CARD-0001234567"), Is.False, "an RFID card's tag");
        });
    }
}
