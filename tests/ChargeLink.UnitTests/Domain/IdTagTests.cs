using ChargeLink.Domain.Groups;

namespace ChargeLink.UnitTests.Domain;

public sealed class IdTagTests
{
    private static readonly byte[] Key = "a deployment's secret"u8.ToArray();

    [TestCase("pay_7Hq2xK9")]
    [TestCase("p")]
    [TestCase("a-payment-id-that-is-exactly-sixty-four-characters-long-00000000")]
    public void An_idTag_is_a_CiString20_derived_from_the_payment(string paymentId)
    {
        var tag = IdTag.ForPayment(paymentId, Key);
        Assert.That(tag, Has.Length.EqualTo(20).And.Match("^CL[A-Z2-7]{18}$"));
        Assert.That(IdTag.ForPayment(paymentId, Key), Is.EqualTo(tag), "deterministic, so a repeated decision repeats the tag");
    }

    [Test]
    public void Different_payments_get_different_tags()
    {
        var tags = Enumerable.Range(0, 10_000).Select(i => IdTag.ForPayment($"pay_{i}", Key)).ToHashSet();
        Assert.That(tags, Has.Count.EqualTo(10_000));
    }

    [Test]
    public void The_tag_is_CL_and_the_first_90_bits_of_the_payment_s_HMAC_SHA_256_under_the_key_in_RFC_4648_base32()
    {
        // Worked out here another way: the MAC as a string of bits, read five at a time.
        var mac = new System.Security.Cryptography.HMACSHA256(Key).ComputeHash(System.Text.Encoding.UTF8.GetBytes("pay_7Hq2xK9"));
        var bits = string.Concat(mac.Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        var expected = "CL" + string.Concat(Enumerable.Range(0, 18).Select(i => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[Convert.ToInt32(bits.Substring(i * 5, 5), 2)]));
        Assert.That(IdTag.ForPayment("pay_7Hq2xK9", Key), Is.EqualTo(expected));
    }

    [Test]
    public void Without_the_key_the_tag_cannot_be_computed_from_the_payment_id()
    {
        // What an attacker could compute before the tag was keyed: the unkeyed SHA-256 form, and the tag under another key.
        var unkeyed = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("pay_7Hq2xK9"));
        var bits = string.Concat(unkeyed.Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        var guess = "CL" + string.Concat(Enumerable.Range(0, 18).Select(i => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[Convert.ToInt32(bits.Substring(i * 5, 5), 2)]));
        Assert.That(IdTag.ForPayment("pay_7Hq2xK9", Key), Is.Not.EqualTo(guess).And.Not.EqualTo(IdTag.ForPayment("pay_7Hq2xK9", "another key"u8)));
    }

    [Test]
    public void A_payment_s_tag_has_the_payment_shape()
    {
        var tag = IdTag.ForPayment("pay_7Hq2xK9", Key);
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
