using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Five groups, fifty occupancies and fifty payments all at once, every message twice, two orchestrator
/// instances competing for them: exactly fifty starts, each a valid pair, every stream consistent.
/// </summary>
[TestFixture]
public sealed class ConcurrentGroupsTests : SystemFixture
{
    protected override int Groups => 5;

    [Test]
    public async Task Fifty_payments_and_fifty_occupancies_delivered_twice_to_two_instances_give_exactly_fifty_starts()
    {
        await Deployment.StartOrchestrator();
        Assert.That(Deployment.Orchestrators, Has.Count.EqualTo(2));

        var stations = new List<StationSimulator>();
        for (var g = 0; g < Groups; g++)
            stations.Add(await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(g)));
        var remoteStarts = new ConcurrentBag<(int Group, int Connector, string IdTag)>();
        using var answering = new CancellationTokenSource();
        var answerers = stations.Select((station, g) => Task.Run(async () =>
        {
            while (!answering.IsCancellationRequested)
            {
                JsonArray call;
                try
                {
                    call = await station.NextCallFromGateway(TimeSpan.FromSeconds(1));
                }
                catch (TimeoutException)
                {
                    continue;
                }
                remoteStarts.Add((g, call[3]!["connectorId"]!.GetValue<int>(), call[3]!["idTag"]!.GetValue<string>()));
                await station.Answer(call, new JsonObject { ["status"] = "Accepted" });
            }
        })).ToList();

        // Every occupancy and every payment twice, all interleaved.
        var payments = Enumerable.Range(0, Groups).SelectMany(g => Enumerable.Range(1, ChargeLinkSystem.ConnectorCount).Select(i => (Group: g, PaymentId: $"pay_{Deployment.RunId}_{g}_{i}"))).ToList();
        var sends = new List<Task>();
        for (var round = 0; round < 2; round++)
        {
            foreach (var (group, station) in stations.Select((s, g) => (g, s)))
            {
                sends.Add(Task.Run(async () =>
                {
                    for (var connector = 1; connector <= ChargeLinkSystem.ConnectorCount; connector++)
                        await station.Call("StatusNotification", new JsonObject { ["connectorId"] = connector, ["errorCode"] = "NoError", ["status"] = "Preparing" });
                }));
            }
            sends.AddRange(payments.Select(p => Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(p.PaymentId, Deployment.TerminalIdOf(p.Group)))));
        }
        await Task.WhenAll(sends);

        var starts = await Eventually.Get(async () =>
        {
            var all = new List<(int Group, ChargingStartRequested Start)>();
            for (var g = 0; g < Groups; g++)
                all.AddRange((await GroupEvents(Deployment.GroupIdOf(g))).OfType<ChargingStartRequested>().Select(s => (g, s)));
            return all.Count >= payments.Count ? all : null;
        }, TimeSpan.FromSeconds(60), $"{payments.Count} start decisions");

        await Eventually.True(() => Task.FromResult(remoteStarts.Count >= payments.Count), TimeSpan.FromSeconds(30), $"{payments.Count} RemoteStartTransactions reach the stations");
        // Then give the relay's copies (and anything else) time to arrive as duplicates, if they were going to.
        await Task.Delay(Quiet.AfterRepublish);
        await answering.CancelAsync();
        await Task.WhenAll(answerers);

        Assert.Multiple(async () =>
        {
            Assert.That(starts, Has.Count.EqualTo(payments.Count), "exactly one start per payment");
            Assert.That(starts.Select(s => s.Start.PaymentId), Is.EquivalentTo(payments.Select(p => p.PaymentId)), "every payment started once");
            Assert.That(starts.All(s => payments.Single(p => p.PaymentId == s.Start.PaymentId).Group == s.Group), Is.True, "a payment starts a connector of its own terminal's group");
            Assert.That(starts.Select(s => (s.Group, s.Start.ChargePointId, s.Start.ConnectorId)).Distinct().Count(), Is.EqualTo(payments.Count), "no connector carries two sessions");
            Assert.That(remoteStarts.GroupBy(r => r.IdTag).Where(g => g.Count() > 1).Select(g => $"{g.Key} x{g.Count()}"), Is.Empty, "one RemoteStartTransaction per start, despite the relay's copies");
            Assert.That(remoteStarts, Has.Count.EqualTo(payments.Count));
            for (var g = 0; g < Groups; g++)
            {
                var events = await GroupEvents(Deployment.GroupIdOf(g));
                Assert.That(events.OfType<ConnectorOccupied>().Count(), Is.EqualTo(ChargeLinkSystem.ConnectorCount), $"group {g}: each occupancy recorded once");
                Assert.That(events.OfType<PaymentAuthorizationReceived>().Count(), Is.EqualTo(ChargeLinkSystem.ConnectorCount), $"group {g}: each payment recorded once");
                Assert.DoesNotThrow(() => GroupState.Fold(events.Cast<IGroupEvent>()), $"group {g}: the stream folds");
            }
        });
        foreach (var station in stations)
            await station.DisposeAsync();
    }
}
