using System.Text;
using System.Text.Json.Nodes;
using ChargeLink.Cli.Simulators;
using ChargeLink.Contracts;
using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using Marten;
using RabbitMQ.Client;

namespace ChargeLink.IntegrationTests;

/// <summary>The payment cloud's queues as the contract fixes them: what is rejected, where it goes, what comes back.</summary>
[TestFixture]
public sealed class PaymentCloudTests : SystemFixture
{
    [Test]
    public async Task A_message_with_a_wrong_signature_is_dead_lettered_with_its_bytes_and_the_reason_and_starts_nothing()
    {
        var paymentId = $"pay_forged_{Deployment.RunId}";
        var body = Encoding.UTF8.GetBytes(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId).ToJsonString());
        var forged = new PaymentSignature("not-the-secret").Sign(body);
        await Cloud.PublishAuthorization(body, paymentId, sign: false, signatureHeader: forged);

        var dead = await TakeDeadLetter(paymentId);
        Assert.Multiple(() =>
        {
            Assert.That(dead.Body.ToArray(), Is.EqualTo(body), "the original bytes, untouched");
            Assert.That(Header(dead, PaymentCloudQueues.SignatureHeader), Is.EqualTo(forged), "the original headers, untouched");
            Assert.That(Header(dead, "MT-Fault-Message"), Does.Contain("signature"), "the reason");
        });
        Assert.That(await GroupEvents(), Has.None.Matches<PaymentAuthorizationReceived>(p => p.PaymentId == paymentId));
    }

    [Test]
    public async Task A_message_without_a_signature_is_dead_lettered()
    {
        var paymentId = $"pay_unsigned_{Deployment.RunId}";
        var body = Encoding.UTF8.GetBytes(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId).ToJsonString());
        await Cloud.PublishAuthorization(body, paymentId, sign: false);
        var dead = await TakeDeadLetter(paymentId);
        Assert.That(Header(dead, "MT-Fault-Message"), Does.Contain("missing or does not match"));
    }

    [Test]
    public async Task A_signed_body_that_is_not_JSON_is_dead_lettered_with_its_bytes()
    {
        var marker = $"garbage-{Deployment.RunId}";
        var body = Encoding.UTF8.GetBytes($"{{ this is not json {marker}");
        await Cloud.PublishAuthorization(body, marker);
        var dead = await TakeDeadLetter(marker);
        Assert.That(dead.Body.ToArray(), Is.EqualTo(body));
        Assert.That(Header(dead, "MT-Fault-Message"), Is.Not.Empty);
    }

    [Test]
    public async Task A_signed_message_of_the_wrong_shape_is_dead_lettered_with_the_field_at_fault()
    {
        var paymentId = $"pay_zero_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, amountMinor: 0));
        var dead = await TakeDeadLetter(paymentId);
        Assert.That(Header(dead, "MT-Fault-Message"), Does.Contain("amount.value"));
    }

    [Test]
    public async Task An_authorization_for_a_terminal_the_topology_does_not_know_is_voided_with_unknown_terminal()
    {
        var paymentId = $"pay_lost_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, "TERM-NOWHERE"));

        var instruction = await TakeFrom(PaymentCloudQueues.Instructions, paymentId);
        var json = JsonNode.Parse(instruction.Body.Span)!;
        Assert.Multiple(() =>
        {
            Assert.That(json["type"]!.GetValue<string>(), Is.EqualTo("payment.void"));
            Assert.That(json["paymentId"]!.GetValue<string>(), Is.EqualTo(paymentId));
            Assert.That(json["reason"]!.GetValue<string>(), Is.EqualTo("unknown-terminal"));
            Assert.That(instruction.BasicProperties.MessageId, Is.EqualTo($"{paymentId}:payment.void"));
            Assert.That(instruction.BasicProperties.ContentType, Is.EqualTo("application/json"));
            Assert.That(Cloud.HasValidSignature(instruction), Is.True, "signed with the shared secret");
        });
    }

    private Task<BasicGetResult> TakeDeadLetter(string marker) => TakeFrom(PaymentCloudQueues.AuthorizationsDeadLetter, marker);

    // Queues outlive test runs: skip what earlier runs left, and find this test's message by its marker.
    private Task<BasicGetResult> TakeFrom(string queue, string marker) =>
        Eventually.Get(async () =>
        {
            while (await Cloud.Take(queue) is { } message)
            {
                if (Encoding.UTF8.GetString(message.Body.Span).Contains(marker, StringComparison.Ordinal))
                    return message;
            }
            return null;
        }, TimeSpan.FromSeconds(15), $"a message containing {marker} in {queue}");

    private static string? Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString()
            : null;

}
