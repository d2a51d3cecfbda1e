using System.Security.Cryptography;
using System.Text;
using ChargeLink.Contracts.PaymentCloud;

namespace ChargeLink.UnitTests.PaymentAdapter;

public sealed class PaymentSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"type":"payment.cancelled","paymentId":"pay_1"}""");
    private readonly PaymentSignature _signature = new("dev-secret");

    [Test]
    public void The_header_is_sha256_and_lower_case_hex_of_the_HMAC_of_the_exact_bytes()
    {
        var expected = "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes("dev-secret"), Body)).ToLowerInvariant();
        Assert.That(_signature.Sign(Body), Is.EqualTo(expected));
        Assert.That(_signature.Verify(Body, expected), Is.True);
    }

    [Test]
    public void A_missing_header_fails() => Assert.That(_signature.Verify(Body, null), Is.False);

    [TestCase("sha256=")]
    [TestCase("sha1=0000")]
    [TestCase("sha256=zz")]
    [TestCase("0000000000000000000000000000000000000000000000000000000000000000")]
    public void A_malformed_header_fails(string header) => Assert.That(_signature.Verify(Body, header), Is.False);

    [Test]
    public void Another_secret_fails() => Assert.That(new PaymentSignature("other-secret").Verify(Body, _signature.Sign(Body)), Is.False);

    [Test]
    public void A_body_changed_by_one_byte_fails()
    {
        var header = _signature.Sign(Body);
        var changed = (byte[])Body.Clone();
        changed[^3] ^= 1;
        Assert.That(_signature.Verify(changed, header), Is.False);
    }

    [Test]
    public void During_a_rotation_the_previous_secret_is_still_accepted_and_signing_uses_the_new_one()
    {
        var rotating = new PaymentSignature("new-secret", previousSecret: "dev-secret");
        Assert.That(rotating.Verify(Body, _signature.Sign(Body)), Is.True, "signed with the previous secret");
        Assert.That(rotating.Verify(Body, new PaymentSignature("new-secret").Sign(Body)), Is.True, "signed with the new secret");
        Assert.That(rotating.Verify(Body, new PaymentSignature("third-secret").Sign(Body)), Is.False, "signed with neither");
        Assert.That(rotating.Sign(Body), Is.EqualTo(new PaymentSignature("new-secret").Sign(Body)));
        Assert.That(new PaymentSignature("new-secret").Verify(Body, _signature.Sign(Body)), Is.False, "once the rotation ends, the old secret fails");
    }
}
