using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.Simulators;

namespace ChargeLink.Cli;

/// <summary>
/// `chargelink demo`: against a running ChargeLink (make run), a station of the topology connects and plugs in a
/// connector, the payment cloud authorizes a payment at a terminal of the station's group; the demo accepts the
/// RemoteStartTransaction, charges, stops, and waits for the capture on payment-cloud.instructions.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliConsole console)
    {
        var station = new Option<string>("--station")
        {
            Description = "chargePointId to connect as",
            DefaultValueFactory = _ => "CP-A1",
        };
        var password = new Option<string?>("--password")
        {
            Description = "the station's password, if the topology sets one",
        };
        var connector = new Option<int>("--connector")
        {
            Description = "connector to plug in",
            DefaultValueFactory = _ => 1,
        };
        var terminal = new Option<string>("--terminal")
        {
            Description = "payment terminal of the station's group",
            DefaultValueFactory = _ => "TERM-A1",
        };
        var amount = new Option<long>("--amount")
        {
            Description = "authorized amount in minor units",
            DefaultValueFactory = _ => 5000,
        };
        var energy = new Option<long>("--energy")
        {
            Description = "Wh to charge before stopping",
            DefaultValueFactory = _ => 12_000,
        };
        var payment = new Option<string?>("--payment") { Description = "paymentId (default: pay_demo_<random>)" };
        var (gateway, rabbitMq, secret) = (CliOptions.Gateway(), CliOptions.RabbitMq(), CliOptions.Secret());
        var command = new Command(
            "demo",
            "play one station and the payment cloud against a running ChargeLink: plug in, pay, charge, stop, capture"
        )
        {
            station,
            password,
            connector,
            terminal,
            amount,
            energy,
            payment,
            gateway,
            rabbitMq,
            secret,
        };
        command.SetAction(
            (result, cancellation) =>
                new Demo(
                    console,
                    result.GetValue(gateway)!,
                    CliOptions.RabbitMqOf(result, rabbitMq),
                    CliOptions.SecretOf(result, secret),
                    result.GetValue(station)!,
                    result.GetValue(password),
                    result.GetValue(connector),
                    result.GetValue(terminal)!,
                    result.GetValue(amount),
                    result.GetValue(energy),
                    result.GetValue(payment) ?? $"pay_demo_{Guid.NewGuid().ToString("N")[..8]}"
                ).Run(cancellation)
        );
        return command;
    }

    private sealed record Demo(
        CliConsole Console,
        Uri Gateway,
        string RabbitMq,
        string Secret,
        string Station,
        string? Password,
        int Connector,
        string Terminal,
        long Amount,
        long EnergyWh,
        string PaymentId
    )
    {
        public async Task<int> Run(CancellationToken cancellation)
        {
            var output = Console.Out;
            try
            {
                await using var simulator = await StationSimulator.Connect(Gateway, Station, Password);
                await output.WriteLineAsync(
                    $"station {Station} connected to {Gateway} (subprotocol {simulator.Subprotocol})"
                );
                var boot = await simulator.Call(
                    "BootNotification",
                    new JsonObject { ["chargePointVendor"] = "ChargeLink", ["chargePointModel"] = "demo" }
                );
                await output.WriteLineAsync($"BootNotification -> {boot[2]?["status"]}");
                var status = await simulator.Call(
                    "StatusNotification",
                    new JsonObject
                    {
                        ["connectorId"] = Connector,
                        ["errorCode"] = "NoError",
                        ["status"] = "Preparing",
                    }
                );
                await output.WriteLineAsync(
                    $"StatusNotification connector {Connector} Preparing (cable in) -> "
                        + $"{(status[0]?.GetValue<int>() == 3 ? "ok" : status.ToJsonString())}"
                );

                await using var cloud = new PaymentCloudSimulator(RabbitMq, Secret);
                await cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(PaymentId, Terminal, Amount));
                var sent = Stopwatch.StartNew();
                await output.WriteLineAsync(
                    $"payment {PaymentId} of {Amount} minor units authorized at terminal {Terminal} "
                        + $"(signed, published to {PaymentCloudQueues.Authorizations})"
                );

                var call = await simulator.NextCallFromGateway(TimeSpan.FromSeconds(30));
                var elapsed = sent.Elapsed;
                var request = call[3]!.AsObject();
                await output.WriteLineAsync(
                    $"{call[2]} received {elapsed.TotalMilliseconds:0} ms after the payment: connector "
                        + $"{request["connectorId"]}, idTag {request["idTag"]}"
                );
                await simulator.Answer(call, new JsonObject { ["status"] = "Accepted" });
                var start = await simulator.Call(
                    "StartTransaction",
                    new JsonObject
                    {
                        ["connectorId"] = request["connectorId"]!.GetValue<int>(),
                        ["idTag"] = request["idTag"]!.GetValue<string>(),
                        ["meterStart"] = 0,
                        ["timestamp"] = Now(),
                    }
                );
                var transactionId = start[2]!["transactionId"]!.GetValue<int>();
                await output.WriteLineAsync(
                    $"StartTransaction -> idTag {start[2]?["idTagInfo"]?["status"]}, transaction {transactionId}"
                );
                await simulator.Call(
                    "StopTransaction",
                    new JsonObject
                    {
                        ["transactionId"] = transactionId,
                        ["meterStop"] = EnergyWh,
                        ["timestamp"] = Now(),
                        ["reason"] = "EVDisconnected",
                    }
                );
                await output.WriteLineAsync($"StopTransaction after {EnergyWh} Wh");

                var instruction = await AwaitInstruction(cloud, TimeSpan.FromSeconds(30), cancellation);
                await output.WriteLineAsync(
                    instruction
                        ?? $"no instruction for {PaymentId} within 30 s (is another consumer reading "
                            + $"{PaymentCloudQueues.Instructions}?)"
                );
                return instruction is null ? 1 : 0;
            }
            catch (UpgradeRefusedException e)
            {
                await Console.Error.WriteLineAsync(
                    $"demo: {e.Message} (404: station not in the topology; 401: it needs --password)"
                );
                return 1;
            }
            catch (TimeoutException)
            {
                await Console.Error.WriteLineAsync(
                    "demo: no answer in time; is ChargeLink running (make run), and is the terminal "
                        + "in the station's group?"
                );
                return 1;
            }
            catch (Exception e)
                when (e
                        is System.Net.WebSockets.WebSocketException
                            or HttpRequestException
                            or RabbitMQ.Client.Exceptions.BrokerUnreachableException
                )
            {
                await Console.Error.WriteLineAsync($"demo: {e.Message}; is ChargeLink running (make run)?");
                return 1;
            }
        }

        // The instructions queue may hold others' instructions too (earlier demos): they are shown and taken.
        private async Task<string?> AwaitInstruction(
            PaymentCloudSimulator cloud,
            TimeSpan within,
            CancellationToken cancellation
        )
        {
            var deadline = DateTimeOffset.UtcNow + within;
            while (DateTimeOffset.UtcNow < deadline && !cancellation.IsCancellationRequested)
            {
                if (await cloud.Take(PaymentCloudQueues.Instructions) is not { } message)
                {
                    await Task.Delay(100, cancellation);
                    continue;
                }
                var body = Encoding.UTF8.GetString(message.Body.Span);
                var line = CloudCommands.Describe(
                    body,
                    message.BasicProperties.MessageId,
                    cloud.HasValidSignature(message)
                );
                if (JsonNode.Parse(body)?["paymentId"]?.GetValue<string>() == PaymentId)
                    return $"instruction on {PaymentCloudQueues.Instructions}: {line}";
                await Console.Out.WriteLineAsync($"(an earlier instruction, taken from the queue: {line})");
            }
            return null;
        }

        private static string Now() =>
            DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    }
}
