using System.Text;
using ChargeLink.Contracts;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.ServiceDefaults;
using ChargeLink.Simulators;
using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Least privilege on the broker, tried as an attacker would: with the payment cloud's own account (the credentials the
/// payment integration holds) and with each service's account, against a running system. What must fail is refused by
/// the broker itself (ACCESS_REFUSED, 403), so it does not matter what our consumers would have made of it.
/// </summary>
[TestFixture]
public sealed class BrokerAccountTests : SystemFixture
{
    private const int AccessRefused = 403;

    // A forged StartCharging as MassTransit would carry it: the envelope the gateway's consumer takes.
    private byte[] ForgedStartCharging(string idTag) =>
        MassTransitEnvelope.Of(new StartCharging(Deployment.GroupId, Deployment.ChargePointId, 1, idTag, idTag, DateTimeOffset.UtcNow));

    [Test]
    public async Task The_payment_clouds_account_cannot_send_a_station_command_and_its_signed_payment_still_starts_charging()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        await station.Call("BootNotification", new System.Text.Json.Nodes.JsonObject { ["chargePointVendor"] = "Test", ["chargePointModel"] = "Attack" });

        // The attack of the issue: StartCharging straight to the station commands exchange, routed by the station's id.
        const string forgedIdTag = "free-energy";
        var refused = await PublishRefusal(RealServices.PaymentCloud, StationCommandExchange.Exchange, Deployment.ChargePointId, ForgedStartCharging(forgedIdTag));
        Assert.That(refused, Is.EqualTo(AccessRefused), "publishing to chargelink.station-commands as payment-cloud");

        // The real thing still works end to end with the same account: a signed authorization and an occupied connector.
        await Status(station, 1, "Preparing");
        var paymentId = $"pay_{Deployment.RunId}_real";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId));
        // The forged publish went first; had the broker let it through, the station's first command would carry its idTag.
        var remoteStart = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That(remoteStart[2]!.GetValue<string>(), Is.EqualTo("RemoteStartTransaction"));
        Assert.That(remoteStart[3]!["idTag"]!.GetValue<string>(), Is.Not.EqualTo(forgedIdTag));
        await station.Answer(remoteStart, new System.Text.Json.Nodes.JsonObject { ["status"] = "Accepted" });
    }

    /// <summary>Every exchange ChargeLink has: the message types' and the routing exchanges.</summary>
    private static IEnumerable<string> ChargeLinkExchanges() =>
        typeof(StartCharging).Assembly.GetTypes()
            .Select(t => t.GetCustomAttributes(typeof(MassTransit.EntityNameAttribute), false).OfType<MassTransit.EntityNameAttribute>().FirstOrDefault()?.EntityName)
            .OfType<string>()
            .Concat([StationCommandExchange.Exchange, StationCommandExchange.Unroutable, GroupPartitions.Exchange])
            .Order();

    [TestCaseSource(nameof(ChargeLinkExchanges))]
    public async Task The_payment_clouds_account_cannot_publish_to_any_chargelink_exchange(string exchange) =>
        Assert.That(await PublishRefusal(RealServices.PaymentCloud, exchange, "", "{}"u8.ToArray()), Is.EqualTo(AccessRefused));

    [Test]
    public void The_payment_clouds_account_cannot_open_ChargeLinks_vhost()
    {
        var inside = new UriBuilder(RealServices.PaymentCloud) { Path = "/" + ChargeLinkSettings.DefaultBrokerVirtualHost }.Uri;
        var failure = Assert.CatchAsync(() => OpenChannel(inside));
        Assert.That(failure!.ToString(), Does.Contain("access to vhost").And.Contain("refused"));
    }

    [Test]
    public async Task Through_the_default_exchange_the_payment_cloud_reaches_no_queue_of_ChargeLinks()
    {
        // The default exchange reaches every queue of its vhost by name: the internal queues live in another vhost, so a
        // message addressed to one of them is unroutable and comes back to the sender.
        await using var connection = await new ConnectionFactory { Uri = new Uri(RealServices.PaymentCloud) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        foreach (var queue in Enumerable.Range(0, GroupPartitions.Count).Select(GroupPartitions.QueueName)
                     .Append("chargelink.payment-adapter.settlements").Append(StationCommandExchange.Unroutable).Append("chargelink.orchestrator.payment-cancellations"))
        {
            var returned = Assert.CatchAsync<PublishException>(async () => await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties(), ForgedStartCharging("forged")));
            Assert.That(returned!.IsReturn, Is.True, $"{queue} is not reachable from the payment cloud's vhost");
        }
    }

    [Test]
    public async Task The_payment_clouds_account_cannot_read_the_authorizations_or_declare_queues_of_its_own()
    {
        Assert.That(await Refusal(RealServices.PaymentCloud, channel => channel.BasicGetAsync(Contracts.PaymentCloud.PaymentCloudQueues.Authorizations, autoAck: true)), Is.EqualTo(AccessRefused));
        Assert.That(await Refusal(RealServices.PaymentCloud, channel => channel.QueueDeclareAsync("payment-cloud.mine", durable: true, exclusive: false, autoDelete: false)), Is.EqualTo(AccessRefused));
        Assert.That(await Refusal(RealServices.PaymentCloud, channel => channel.QueueDeleteAsync(Contracts.PaymentCloud.PaymentCloudQueues.Instructions + "_error")), Is.EqualTo(AccessRefused));
    }

    // What each service's account must not do, in ChargeLink's vhost: another service's part.
    private static IEnumerable<TestCaseData> ForeignParts()
    {
        yield return new TestCaseData("payment-adapter", "publish", StationCommandExchange.Exchange).SetName("The payment adapter cannot send StartCharging");
        yield return new TestCaseData("payment-adapter", "publish", "chargelink.capture-payment.v1").SetName("The payment adapter cannot order a capture");
        yield return new TestCaseData("payment-adapter", "consume", GroupPartitions.QueueName(0)).SetName("The payment adapter cannot read the group partitions");
        yield return new TestCaseData("gateway", "publish", StationCommandExchange.Exchange).SetName("The gateway cannot send itself a command");
        yield return new TestCaseData("gateway", "publish", "chargelink.payment-authorized.v1").SetName("The gateway cannot authorize a payment");
        yield return new TestCaseData("gateway", "publish", "chargelink.void-payment.v1").SetName("The gateway cannot order a void");
        yield return new TestCaseData("gateway", "consume", "chargelink.payment-adapter.settlements").SetName("The gateway cannot read the settlements");
        yield return new TestCaseData("orchestrator", "publish", "chargelink.payment-authorized.v1").SetName("The orchestrator cannot authorize a payment");
        yield return new TestCaseData("orchestrator", "publish", "chargelink.connector-status-changed.v1").SetName("The orchestrator cannot report a station's status");
        yield return new TestCaseData("orchestrator", "consume", "chargelink.payment-adapter.settlements").SetName("The orchestrator cannot take the adapter's settlements");
    }

    [TestCaseSource(nameof(ForeignParts))]
    public async Task A_services_account_cannot_do_another_services_part(string service, string action, string entity)
    {
        var url = ServiceAccount(service, ChargeLinkSettings.DefaultBrokerVirtualHost);
        var refused = action == "publish"
            ? await PublishRefusal(url, entity, Deployment.ChargePointId, ForgedStartCharging("forged"))
            : await Refusal(url, channel => channel.BasicGetAsync(entity, autoAck: false));
        Assert.That(refused, Is.EqualTo(AccessRefused));
    }

    [TestCase("gateway")]
    [TestCase("orchestrator")]
    public void Only_the_payment_adapter_of_the_services_can_open_the_payment_clouds_vhost(string service)
    {
        var failure = Assert.CatchAsync(() => OpenChannel(new Uri(ServiceAccount(service, "/"))));
        Assert.That(failure!.ToString(), Does.Contain("access to vhost").And.Contain("refused"));
    }

    [Test]
    public async Task No_service_logs_in_as_guest()
    {
        var connections = await RealServices.RabbitMqCtlOutput("list_connections", "-q", "user", "client_properties");
        var ours = connections.Split('\n').Where(line => line.Contains("\"chargelink-", StringComparison.Ordinal)).ToList();
        Assert.That(ours, Is.Not.Empty, connections);
        Assert.That(ours.Select(line => line.Split('\t')[0]).Distinct(), Is.SubsetOf(new[] { "chargelink-gateway", "chargelink-orchestrator", "chargelink-payment-adapter" }));
    }

    // The client reports the connection open before the broker has answered for the vhost; a channel needs that answer.
    private static async Task OpenChannel(Uri broker)
    {
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
    }

    private static string ServiceAccount(string service, string vhost)
    {
        var account = BrokerAccount.Of(service, new ConfigurationBuilder().AddEnvironmentVariables().Build());
        return new UriBuilder(RealServices.RabbitMq) { UserName = account.User, Password = Uri.EscapeDataString(account.Password), Path = "/" + Uri.EscapeDataString(vhost) }.Uri.ToString();
    }

    private static Task<int?> PublishRefusal(string broker, string exchange, string routingKey, byte[] body) =>
        Refusal(broker, async channel => await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, new BasicProperties(), body));

    /// <summary>Runs an operation on a fresh channel: null if the broker allowed it, else the reply code that closed the channel.</summary>
    private static async Task<int?> Refusal(string broker, Func<IChannel, Task> operation)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(broker) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        try
        {
            await operation(channel);
            // A refused publish closes the channel asynchronously; a confirmed one left it open.
            return channel.IsOpen ? null : channel.CloseReason?.ReplyCode;
        }
        catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException or PublishException)
        {
            return channel.CloseReason?.ReplyCode ?? (e as OperationInterruptedException)?.ShutdownReason?.ReplyCode;
        }
    }
}
