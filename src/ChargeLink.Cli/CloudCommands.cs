using System.Text;
using System.Text.Json.Nodes;
using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.Simulators;

namespace ChargeLink.Cli;

/// <summary>
/// `chargelink cloud ...`: plays the payment cloud against a running ChargeLink, exactly as the contract
/// describes it — the reference for anyone integrating a real one.
/// </summary>
public static class CloudCommands
{
    public static Command Create(CliConsole console) =>
        new("cloud", "play the payment cloud: publish signed authorizations and cancellations, read instructions")
        {
            Authorize(console),
            Cancel(console),
            Instructions(console),
        };

    private static Command Authorize(CliConsole console)
    {
        var terminal = new Option<string>("--terminal")
        {
            Description = "the terminal where the card was tapped",
            Required = true,
        };
        var amount = new Option<long>("--amount")
        {
            Description = "held amount in minor units",
            DefaultValueFactory = _ => 5000,
        };
        var currency = new Option<string>("--currency")
        {
            Description = "ISO 4217 code",
            DefaultValueFactory = _ => "EUR",
        };
        var payment = new Option<string?>("--payment") { Description = "paymentId (default: pay_cli_<random>)" };
        var (rabbitMq, secret) = (CliOptions.RabbitMq(), CliOptions.Secret());
        var command = new Command("authorize", "publish a signed payment.authorized to payment-cloud.authorizations")
        {
            terminal,
            amount,
            currency,
            payment,
            rabbitMq,
            secret,
        };
        command.SetAction(
            (result, _) =>
            {
                var paymentId = result.GetValue(payment) ?? $"pay_cli_{Guid.NewGuid().ToString("N")[..8]}";
                var message = PaymentCloudSimulator.Authorization(
                    paymentId,
                    result.GetValue(terminal)!,
                    result.GetValue(amount),
                    currency: result.GetValue(currency)!
                );
                return Publish(
                    console,
                    CliOptions.RabbitMqOf(result, rabbitMq),
                    CliOptions.SecretOf(result, secret),
                    message
                );
            }
        );
        return command;
    }

    private static Command Cancel(CliConsole console)
    {
        var payment = new Option<string>("--payment")
        {
            Description = "the paymentId the driver cancelled at the terminal",
            Required = true,
        };
        var (rabbitMq, secret) = (CliOptions.RabbitMq(), CliOptions.Secret());
        var command = new Command("cancel", "publish a signed payment.cancelled to payment-cloud.authorizations")
        {
            payment,
            rabbitMq,
            secret,
        };
        command.SetAction(
            (result, _) =>
                Publish(
                    console,
                    CliOptions.RabbitMqOf(result, rabbitMq),
                    CliOptions.SecretOf(result, secret),
                    PaymentCloudSimulator.Cancellation(result.GetValue(payment)!)
                )
        );
        return command;
    }

    private static Command Instructions(CliConsole console)
    {
        var follow = new Option<bool>("--follow") { Description = "keep reading until Ctrl-C" };
        var wait = new Option<int>("--wait")
        {
            Description = "seconds to wait for the first instruction when the queue is empty",
            DefaultValueFactory = _ => 0,
        };
        var (rabbitMq, secret) = (CliOptions.RabbitMq(), CliOptions.Secret());
        var command = new Command(
            "instructions",
            "take the capture and void instructions from payment-cloud.instructions and check "
                + "their signatures (exit 1 on a bad one)"
        )
        {
            follow,
            wait,
            rabbitMq,
            secret,
        };
        command.SetAction(
            (result, cancellation) =>
                ReadInstructions(
                    console,
                    CliOptions.RabbitMqOf(result, rabbitMq),
                    CliOptions.SecretOf(result, secret),
                    result.GetValue(follow),
                    TimeSpan.FromSeconds(result.GetValue(wait)),
                    cancellation
                )
        );
        return command;
    }

    private static async Task<int> Publish(CliConsole console, string rabbitMq, string secret, JsonObject message)
    {
        try
        {
            await using var cloud = new PaymentCloudSimulator(rabbitMq, secret);
            await cloud.PublishAuthorization(message);
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException e)
        {
            await console.Error.WriteLineAsync($"chargelink: RabbitMQ at {rabbitMq} is unreachable: {e.Message}");
            return 1;
        }
        await console.Out.WriteLineAsync(
            $"published to {PaymentCloudQueues.Authorizations} (signed): {message.ToJsonString()}"
        );
        return 0;
    }

    private static async Task<int> ReadInstructions(
        CliConsole console,
        string rabbitMq,
        string secret,
        bool follow,
        TimeSpan wait,
        CancellationToken cancellation
    )
    {
        await using var cloud = new PaymentCloudSimulator(rabbitMq, secret);
        var badSignatures = 0;
        var read = 0;
        var deadline = DateTimeOffset.UtcNow + wait;
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                if (await cloud.Take(PaymentCloudQueues.Instructions) is not { } message)
                {
                    if (!follow && (read > 0 || DateTimeOffset.UtcNow >= deadline))
                        break;
                    await Task.Delay(200, cancellation);
                    continue;
                }
                read++;
                var valid = cloud.HasValidSignature(message);
                badSignatures += valid ? 0 : 1;
                await console.Out.WriteLineAsync(
                    Describe(Encoding.UTF8.GetString(message.Body.Span), message.BasicProperties.MessageId, valid)
                );
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Ctrl-C ends --follow.
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException e)
        {
            await console.Error.WriteLineAsync($"chargelink: RabbitMQ at {rabbitMq} is unreachable: {e.Message}");
            return 1;
        }
        await console.Out.WriteLineAsync($"{read} instruction(s), {badSignatures} with a bad signature");
        return badSignatures == 0 ? 0 : 1;
    }

    /// <summary>One line per instruction: type, payment, what it says, and whether its signature holds.</summary>
    public static string Describe(string body, string? messageId, bool validSignature)
    {
        var json = JsonNode.Parse(body);
        var what = json?["type"]?.GetValue<string>() switch
        {
            "payment.capture" => $"capture {json["amount"]?["value"]} {json["amount"]?["currency"]} for "
                + $"{json["energyWh"]} Wh (session {json["sessionId"]})",
            "payment.void" => $"void ({json["reason"]})",
            var other => $"unknown type {other}: {body}",
        };
        return $"{json?["paymentId"]}: {what}; message_id {messageId}; signature {(validSignature ? "ok" : "BAD")}";
    }
}
