using System.Text.Json.Nodes;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// amqps to the broker: the three services log in over TLS and trust the broker by the CA given in CHARGELINK_RABBITMQ_CA
/// (a development CA that infra/rabbitmq-tls.sh made for the local RabbitMQ's listener on 5671), and refuse the broker
/// without it. The test's own tools (the payment cloud's side) stay on plain amqp: only the services' path is under test.
/// </summary>
[TestFixture]
public sealed class BrokerTlsTests : SystemFixture
{
    private static string TlsBroker()
    {
        var broker = Environment.GetEnvironmentVariable("CHARGELINK_TEST_RABBITMQ_TLS") is { Length: > 0 } configured
            ? configured
            : new UriBuilder(RealServices.RabbitMq) { Scheme = "amqps", Host = "localhost", Port = 5671 }.Uri.ToString();
        if (!File.Exists(CaFile))
            throw new InvalidOperationException($"{CaFile} is missing: infra/up.sh gives a RabbitMQ of this machine a TLS listener and its CA (infra/rabbitmq-tls.sh); run the tests with `make test`, or set CHARGELINK_TEST_RABBITMQ_TLS and CHARGELINK_TEST_RABBITMQ_CA for a broker elsewhere");
        return broker;
    }

    private static string CaFile => Environment.GetEnvironmentVariable("CHARGELINK_TEST_RABBITMQ_CA") is { Length: > 0 } ca ? ca : "/etc/rabbitmq/chargelink-tls/ca.pem";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_RABBITMQ"] = TlsBroker(),
        ["CHARGELINK_RABBITMQ_CA"] = CaFile,
    };

    [Test]
    public async Task Over_amqps_a_signed_payment_still_starts_charging_and_every_service_connection_is_TLS()
    {
        await using var station = await AStationWithAnOccupiedConnector();
        var paymentId = $"pay_{Deployment.RunId}_tls";
        var remoteStart = await APaymentAskedToStart(station, 0, paymentId, withinSeconds: 20);
        Assert.That(remoteStart[2]!.GetValue<string>(), Is.EqualTo("RemoteStartTransaction"));
        Assert.That(remoteStart[3]!["connectorId"]!.GetValue<int>(), Is.EqualTo(1));
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });

        // user, ssl, client properties: each service's connections (named chargelink-…) are TLS.
        var connections = (await RealServices.RabbitMqCtlOutput("list_connections", "-q", "user", "ssl", "client_properties"))
            .Split('\n').Where(line => line.Contains("\"chargelink-", StringComparison.Ordinal)).ToList();
        Assert.That(connections, Is.Not.Empty);
        Assert.That(connections.Select(line => line.Split('\t')[1]).Distinct(), Is.EqualTo(new[] { "true" }), string.Join('\n', connections));
    }

    [Test]
    public async Task Without_the_CA_a_service_refuses_the_brokers_certificate()
    {
        var logsBefore = Deployment.Logs.Events.Count;
        var gateway = await Deployment.StartGateway(new Dictionary<string, string?> { ["CHARGELINK_RABBITMQ_CA"] = "" }, waitUntilReady: false);
        try
        {
            await Eventually.True(
                () => Task.FromResult(Deployment.Logs.Events.Skip(logsBefore).Any(e =>
                    e.Exception?.ToString().Contains("remote certificate was rejected", StringComparison.Ordinal) == true)),
                TimeSpan.FromSeconds(30), "the gateway logs that it refused the broker's certificate");
            using var http = new HttpClient();
            Assert.That((int)(await http.GetAsync(new Uri(gateway, "/health/ready"))).StatusCode, Is.EqualTo(503));
        }
        finally
        {
            await Deployment.StopGateway(gateway);
        }
    }
}
