using System.Diagnostics;
using System.Text.Json.Nodes;
using ChargeLink.Cli.Simulators;

namespace ChargeLink.Cli;

/// <summary>
/// `chargelink demo`: against a running ChargeLink (make run), a station of the topology connects, plugs in
/// a connector, and the payment cloud authorizes a payment at a terminal of the station's group; the demo
/// waits for RemoteStartTransaction, accepts it and starts the transaction, printing each step.
/// </summary>
public static class DemoCommand
{
    public const string Help = """
          demo [options]        play one station and the payment cloud against a running ChargeLink:
                                  --station ID      chargePointId to connect as          (CP-A1)
                                  --password PW     its password, if the topology sets one
                                  --connector N     connector to plug in                  (1)
                                  --terminal ID     payment terminal of the station's group (TERM-A1)
                                  --amount MINOR    authorized amount in minor units      (5000)
                                  --payment ID      paymentId                             (pay_demo_<random>)
                                uses CHARGELINK_GATEWAY_URL, CHARGELINK_RABBITMQ, CHARGELINK_PAYMENT_SECRET
        """;

    public static async Task<int> Run(IReadOnlyDictionary<string, string> options, TextWriter output, TextWriter error)
    {
        string Option(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;
        string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

        var gateway = new Uri(Env("CHARGELINK_GATEWAY_URL", "http://127.0.0.1:9000"));
        var rabbitMq = Env("CHARGELINK_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/");
        var secret = Env("CHARGELINK_PAYMENT_SECRET", "dev-secret");
        var station = Option("station", "CP-A1");
        var connector = int.Parse(Option("connector", "1"), System.Globalization.CultureInfo.InvariantCulture);
        var terminal = Option("terminal", "TERM-A1");
        var amount = long.Parse(Option("amount", "5000"), System.Globalization.CultureInfo.InvariantCulture);
        var paymentId = Option("payment", $"pay_demo_{Guid.NewGuid().ToString("N")[..8]}");

        try
        {
            await using var simulator = await StationSimulator.Connect(gateway, station, options.GetValueOrDefault("password"));
            await output.WriteLineAsync($"station {station} connected to {gateway} (subprotocol {simulator.Subprotocol})");
            var boot = await simulator.Call("BootNotification", new JsonObject { ["chargePointVendor"] = "ChargeLink", ["chargePointModel"] = "demo" });
            await output.WriteLineAsync($"BootNotification -> {boot[2]?["status"]}");
            var status = await simulator.Call("StatusNotification", new JsonObject { ["connectorId"] = connector, ["errorCode"] = "NoError", ["status"] = "Preparing" });
            await output.WriteLineAsync($"StatusNotification connector {connector} Preparing (cable in) -> {(status[0]?.GetValue<int>() == 3 ? "ok" : status.ToJsonString())}");

            await using var cloud = new PaymentCloudSimulator(rabbitMq, secret);
            await cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, terminal, amount));
            var sent = Stopwatch.StartNew();
            await output.WriteLineAsync($"payment {paymentId} of {amount} minor units authorized at terminal {terminal} (signed, published to payment-cloud.authorizations)");

            var call = await simulator.NextCallFromGateway(TimeSpan.FromSeconds(30));
            var elapsed = sent.Elapsed;
            var request = call[3]!.AsObject();
            await output.WriteLineAsync($"{call[2]} received {elapsed.TotalMilliseconds:0} ms after the payment: connector {request["connectorId"]}, idTag {request["idTag"]}");
            await simulator.Answer(call, new JsonObject { ["status"] = "Accepted" });
            var start = await simulator.Call("StartTransaction", new JsonObject
            {
                ["connectorId"] = request["connectorId"]!.GetValue<int>(),
                ["idTag"] = request["idTag"]!.GetValue<string>(),
                ["meterStart"] = 0,
                ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            });
            await output.WriteLineAsync($"StartTransaction -> idTag {start[2]?["idTagInfo"]?["status"]}, transaction {start[2]?["transactionId"]}");
            return 0;
        }
        catch (UpgradeRefusedException e)
        {
            await error.WriteLineAsync($"demo: {e.Message} (404: station not in the topology; 401: it needs --password)");
            return 1;
        }
        catch (TimeoutException)
        {
            await error.WriteLineAsync("demo: no answer in time; is ChargeLink running (make run), and is the terminal in the station's group?");
            return 1;
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or System.Net.Http.HttpRequestException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            await error.WriteLineAsync($"demo: {e.Message}; is ChargeLink running (make run)?");
            return 1;
        }
    }
}
