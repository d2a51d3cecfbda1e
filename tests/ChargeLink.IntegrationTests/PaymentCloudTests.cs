using System.Text;
using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Marten;
using RabbitMQ.Client;

namespace ChargeLink.IntegrationTests;

/// <summary>The payment cloud's queues as the contract fixes them: what is rejected, where it goes, what comes back.</summary>
[TestFixture]
public sealed class PaymentCloudTests : SystemFixture
{
    // The deployment is mid-rotation: the secret being retired still verifies, the current one signs.
    private const string PreviousSecret = "secret-being-rotated-out";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_PAYMENT_SECRET_PREVIOUS"] = PreviousSecret,
        ["CHARGELINK_PAYMENT_MAX_AGE_SECONDS"] = "600",
        ["CHARGELINK_PAYMENT_CLOCK_SKEW_SECONDS"] = "60",
    };

    [Test]
    public async Task During_a_secret_rotation_an_authorization_signed_with_the_previous_secret_is_accepted()
    {
        var paymentId = $"pay_rotated_{Deployment.RunId}";
        var body = Encoding.UTF8.GetBytes(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId).ToJsonString());
        await Cloud.PublishAuthorization(body, paymentId, sign: false, signatureHeader: new PaymentSignature(PreviousSecret).Sign(body));
        await Eventually.True(async () => (await GroupEvents()).OfType<PaymentAuthorizationReceived>().Any(p => p.PaymentId == paymentId), TimeSpan.FromSeconds(15), "the payment reaches its group");
    }

    [TestCase(-3600, "s old", TestName = "An authorization from an hour ago is dead-lettered as a possible replay")]
    [TestCase(3600, "s ahead", TestName = "An authorization dated an hour ahead is dead-lettered")]
    public async Task An_authorization_outside_the_time_window_is_dead_lettered(int secondsFromNow, string reason)
    {
        var paymentId = $"pay_when_{secondsFromNow}_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, at: DateTimeOffset.UtcNow.AddSeconds(secondsFromNow)));
        var dead = await TakeDeadLetter(paymentId);
        Assert.That(Header(dead, "MT-Fault-Message"), Does.StartWith("authorizedAt").And.Contain(reason));
        Assert.That(await GroupEvents(), Has.None.Matches<PaymentAuthorizationReceived>(p => p.PaymentId == paymentId));
    }

    [Test]
    public async Task Dead_letters_are_counted_by_the_check_that_refused_them_on_the_metrics_endpoint()
    {
        var before = await DeadLettered("signature");
        var paymentId = $"pay_counted_{Deployment.RunId}";
        await Cloud.PublishAuthorization(Encoding.UTF8.GetBytes(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId).ToJsonString()), paymentId, sign: false);
        await TakeDeadLetter(paymentId);
        Assert.That(await DeadLettered("signature"), Is.EqualTo(before + 1));
    }

    // The payment cloud's own account may read the dead-letter exchange and write its own queue, so it may bind the one
    // to the other. Each refusal then comes back into payment-cloud.authorizations: refused again, it would go round
    // for ever with one more copy in the dead-letter queue every time.
    [Test]
    public async Task A_dead_letter_bound_back_into_the_authorizations_queue_is_dropped_not_refused_again()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(RealServices.PaymentCloud) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueBindAsync(PaymentCloudQueues.Authorizations, PaymentCloudQueues.AuthorizationsDeadLetter, routingKey: "");
        try
        {
            var (refusedBefore, returnedBefore) = (await DeadLettered("signature"), await Metric("chargelink_paymentadapter_dead_letters_returned"));
            var paymentId = $"pay_loop_{Deployment.RunId}";
            await Cloud.PublishAuthorization(Encoding.UTF8.GetBytes(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId).ToJsonString()), paymentId, sign: false);
            await TakeDeadLetter(paymentId);
            await Eventually.True(async () => await Metric("chargelink_paymentadapter_dead_letters_returned") > returnedBefore, TimeSpan.FromSeconds(15), "the dead letter came back and was dropped");
            Assert.That(await DeadLettered("signature"), Is.EqualTo(refusedBefore + 1), "refused once, not again when it came back");
            Assert.That(await Cloud.Take(PaymentCloudQueues.AuthorizationsDeadLetter) is { } more && Encoding.UTF8.GetString(more.Body.Span).Contains(paymentId, StringComparison.Ordinal), Is.False, "one copy in the dead-letter queue");
        }
        finally
        {
            await channel.QueueUnbindAsync(PaymentCloudQueues.Authorizations, PaymentCloudQueues.AuthorizationsDeadLetter, routingKey: "");
        }
    }

    private async Task<double> Metric(string name)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(Deployment.ManagementUrlOf(Deployment.PaymentUrl), "/metrics"));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + "_total", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    // Prometheus text format: chargelink_paymentadapter_dead_lettered{check="signature"} 3
    private async Task<double> DeadLettered(string check)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(Deployment.ManagementUrlOf(Deployment.PaymentUrl), "/metrics"));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("chargelink_paymentadapter_dead_lettered{", StringComparison.Ordinal) && l.Contains($"check=\"{check}\"", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
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

    // A paymentId names one payment, whichever terminal a later message names: one recorded at a known terminal is not
    // voided behind its back by a message naming an unknown one (the cloud would hold a capture and a void), and one
    // voided at an unknown terminal does not start later at a known one.
    [Test]
    public async Task A_payment_recorded_at_its_terminal_is_not_voided_by_a_second_message_naming_an_unknown_one()
    {
        var paymentId = $"pay_twice_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId));
        await Eventually.True(async () => (await GroupEvents()).OfType<PaymentAuthorizationReceived>().Any(p => p.PaymentId == paymentId), TimeSpan.FromSeconds(15), "the payment reaches its group");
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, "TERM-NOWHERE"));

        var dead = await TakeDeadLetter(paymentId);
        Assert.That(Header(dead, "MT-Fault-Message"), Does.Contain("names one payment"));
        // The dead letter is written after anything the message made the adapter publish: none of it is a void.
        var voids = new List<string>();
        while (await Cloud.Take(PaymentCloudQueues.Instructions) is { } instruction)
        {
            var json = JsonNode.Parse(instruction.Body.Span)!;
            if (json["paymentId"]?.GetValue<string>() == paymentId)
                voids.Add(json.ToJsonString());
        }
        Assert.That(voids, Is.Empty, "no instruction for the payment its group holds");
    }

    [Test]
    public async Task A_payment_voided_at_an_unknown_terminal_never_starts_at_a_known_one()
    {
        var paymentId = $"pay_then_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, "TERM-NOWHERE"));
        var instruction = await TakeFrom(PaymentCloudQueues.Instructions, paymentId);
        Assert.That(JsonNode.Parse(instruction.Body.Span)!["reason"]!.GetValue<string>(), Is.EqualTo("unknown-terminal"));

        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId));
        var dead = await TakeDeadLetter(paymentId);
        Assert.That(Header(dead, "MT-Fault-Message"), Does.Contain("names one payment"));
        Assert.That(await GroupEvents(), Has.None.Matches<PaymentAuthorizationReceived>(p => p.PaymentId == paymentId), "the group never hears of it");
    }

    [Test]
    public async Task The_CLI_plays_the_payment_cloud_and_checks_the_signatures_of_instructions()
    {
        var paymentId = $"pay_cli_{Deployment.RunId}";
        string[] broker = ["--rabbitmq", RealServices.PaymentCloud, "--secret", Deployment.PaymentSecret];
        var (code, output, _) = await RunCli(["cloud", "authorize", "--terminal", "TERM-NOT-IN-TOPOLOGY", "--payment", paymentId, "--amount", "700", .. broker]);
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain(PaymentCloudQueues.Authorizations));

        // The queue is shared with earlier runs: read until this payment's instruction shows.
        var seen = new StringBuilder();
        await Eventually.True(async () =>
        {
            var read = await RunCli(["cloud", "instructions", "--wait", "1", .. broker]);
            seen.Append(read.Output);
            return read.Code == 0 && seen.ToString().Contains($"{paymentId}: void (unknown-terminal); message_id {paymentId}:payment.void; signature ok", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20), "the CLI reads the void for its payment with a valid signature");

        var other = $"pay_cli_bad_{Deployment.RunId}";
        await RunCli(["cloud", "authorize", "--terminal", "TERM-NOT-IN-TOPOLOGY", "--payment", other, .. broker]);
        var exitCode = 0;
        var withWrongSecret = await Eventually.Get(async () =>
        {
            var read = await RunCli(["cloud", "instructions", "--wait", "1", "--rabbitmq", RealServices.PaymentCloud, "--secret", "not-the-secret"]);
            exitCode = read.Code;
            return read.Output.Contains(other, StringComparison.Ordinal) ? read.Output : null;
        }, TimeSpan.FromSeconds(20), "the CLI reads the second void");
        Assert.That(exitCode, Is.EqualTo(1), "a bad signature fails the command");
        Assert.That(withWrongSecret, Does.Contain($"{other}: void (unknown-terminal); message_id {other}:payment.void; signature BAD"));
    }

    private static async Task<(int Code, string Output, string Error)> RunCli(string[] args)
    {
        await using var output = new StringWriter();
        await using var error = new StringWriter();
        var code = await ChargeLink.Cli.CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
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
