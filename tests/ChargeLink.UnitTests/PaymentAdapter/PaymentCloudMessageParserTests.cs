using System.Text;
using ChargeLink.PaymentAdapter.Inbound;
using ChargeLink.PaymentAdapter.Outbound;

namespace ChargeLink.UnitTests.PaymentAdapter;

public sealed class PaymentCloudMessageParserTests
{
    private static PaymentCloudMessage Parse(string json) => PaymentCloudMessageParser.Parse(Encoding.UTF8.GetBytes(json));

    private static string Reason(string json) => Assert.Throws<PaymentMessageRejectedException>(() => Parse(json))!.Message;

    private const string Authorized = """
        {"type":"payment.authorized","paymentId":"pay_7Hq2xK9","terminalId":"TERM-A1",
         "amount":{"value":5000,"currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30Z","maskedPan":"************4242"}
        """;

    [Test]
    public void The_contracts_authorization_is_read()
    {
        var message = (PaymentAuthorizedMessage)Parse(Authorized);
        Assert.That(
            (message.PaymentId, message.TerminalId, message.AmountMinor, message.Currency, message.AuthorizedAt, message.CardLastFour),
            Is.EqualTo(("pay_7Hq2xK9", "TERM-A1", 5000L, "EUR", new DateTimeOffset(2026, 11, 24, 10, 15, 30, TimeSpan.Zero), "4242")));
        Assert.That(message.ToString(), Does.Not.Contain("************4242"));
    }

    [Test]
    public void A_cancellation_is_read() =>
        Assert.That(Parse("""{"type":"payment.cancelled","paymentId":"pay_1"}"""), Is.EqualTo(new PaymentCancelledMessage("pay_1")));

    [TestCase("not json at all", "not a JSON object")]
    [TestCase("""[1,2]""", "not a JSON object")]
    [TestCase("""{"type":"payment.refunded","paymentId":"p"}""", "type: \"payment.refunded\"")]
    [TestCase("""{"type":"payment.authorized","terminalId":"T","amount":{"value":1,"currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30Z"}""", "paymentId: a string is required")]
    [TestCase("""{"type":"payment.authorized","paymentId":"","terminalId":"T","amount":{"value":1,"currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30Z"}""", "paymentId: must be 1-64 characters")]
    [TestCase("""{"type":"payment.authorized","paymentId":"p","terminalId":"T","amount":{"value":0,"currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30Z"}""", "amount.value")]
    [TestCase("""{"type":"payment.authorized","paymentId":"p","terminalId":"T","amount":{"value":12.5,"currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30Z"}""", "amount.value")]
    [TestCase("""{"type":"payment.authorized","paymentId":"p","terminalId":"T","amount":{"value":"100","currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30Z"}""", "amount.value")]
    [TestCase("""{"type":"payment.authorized","paymentId":"p","terminalId":"T","amount":{"value":100,"currency":"euro"},"authorizedAt":"2026-11-24T10:15:30Z"}""", "amount.currency")]
    [TestCase("""{"type":"payment.authorized","paymentId":"p","terminalId":"T","amount":{"value":100,"currency":"EUR"},"authorizedAt":"24.11.2026"}""", "authorizedAt")]
    [TestCase("""{"type":"payment.authorized","paymentId":"p","terminalId":"T","amount":{"value":100,"currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30"}""", "authorizedAt")]
    [TestCase("""{"type":"payment.authorized","paymentId":"p","terminalId":"T","amount":{"value":100,"currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30Z","maskedPan":"4242424242424242"}""", "maskedPan: must be masked")]
    [TestCase("""{"type":"payment.authorized","paymentId":"p","amount":{"value":100,"currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30Z"}""", "terminalId: a string is required")]
    [TestCase("""{"type":"payment.authorized","paymentId":"pay\nFAKE","terminalId":"T","amount":{"value":100,"currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30Z"}""", "paymentId: printable ASCII")]
    [TestCase("""{"type":"payment.authorized","paymentId":"pay 1","terminalId":"T","amount":{"value":100,"currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30Z"}""", "paymentId: printable ASCII")]
    [TestCase("""{"type":"payment.authorized","paymentId":"pay_é","terminalId":"T","amount":{"value":100,"currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30Z"}""", "paymentId: printable ASCII")]
    [TestCase("""{"type":"payment.authorized","paymentId":"p","terminalId":"T\u001b[2J","amount":{"value":100,"currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30Z"}""", "terminalId: printable ASCII")]
    [TestCase("""{"type":"payment.cancelled","paymentId":"p\r"}""", "paymentId: printable ASCII")]
    // A regular expression's $ also matches before a final newline: a trailing one must not slip through.
    [TestCase("""{"type":"payment.authorized","paymentId":"pay_1\n","terminalId":"T","amount":{"value":100,"currency":"EUR"},"authorizedAt":"2026-11-24T10:15:30Z"}""", "paymentId: printable ASCII")]
    [TestCase("""{"type":"payment.authorized","paymentId":"p","terminalId":"T","amount":{"value":100,"currency":"EUR\n"},"authorizedAt":"2026-11-24T10:15:30Z"}""", "amount.currency")]
    public void An_invalid_message_is_rejected_with_the_field_at_fault(string json, string reason) =>
        Assert.That(Reason(json), Does.Contain(reason));

    [Test]
    public void Instructions_have_the_contracts_shape_and_a_message_id_per_payment_and_type()
    {
        var capture = new CaptureInstruction("pay_1", 1234, "EUR", 27420, "s-1");
        var voided = new VoidInstruction("pay_1", ChargeLink.Domain.Groups.VoidReason.NoConnectorOccupied);
        Assert.That(Encoding.UTF8.GetString(InstructionPublisher.Serialize(capture)),
            Is.EqualTo("""{"type":"payment.capture","paymentId":"pay_1","amount":{"value":1234,"currency":"EUR"},"energyWh":27420,"sessionId":"s-1"}"""));
        Assert.That(Encoding.UTF8.GetString(InstructionPublisher.Serialize(voided)),
            Is.EqualTo("""{"type":"payment.void","paymentId":"pay_1","reason":"no-connector-occupied"}"""));
        Assert.That((capture.MessageId, voided.MessageId), Is.EqualTo(("pay_1:payment.capture", "pay_1:payment.void")));
    }
}
