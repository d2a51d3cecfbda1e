using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Two orchestrators as processes of their own; the one that owns the groups' partitions is killed (SIGKILL) while
/// sessions run. The standby takes the partitions over: every payment still ends in exactly one capture, and every
/// group's stream holds each connector's facts in the order the station sent them.
/// </summary>
[TestFixture]
public sealed class OrchestratorFailoverTests : SystemFixture
{
    protected override bool OrchestratorInProcess => false;

    protected override int Groups => 6;

    private const int SessionsPerGroup = 6;

    [Test]
    public async Task The_standby_takes_over_the_groups_of_a_killed_orchestrator_and_nothing_is_lost_doubled_or_reordered()
    {
        await using var owner = await OrchestratorProcess.Start(Deployment);
        await using var standby = await OrchestratorProcess.Start(Deployment);
        _processes.AddRange([owner, standby]);
        var started = 0;
        string? startedAtTheKill = null;
        var total = Groups * SessionsPerGroup;

        var stations = new List<StationSimulator>();
        try
        {
            for (var g = 0; g < Groups; g++)
                stations.Add(await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(g)));
            await Task.WhenAll(stations.Select((station, g) => Sessions(station, g, onStarted: async paymentId =>
            {
                // Once a third of the sessions have charged, the owner dies mid-traffic; this session's stop is sent
                // only after the kill, so it is certainly undone at that moment.
                if (Interlocked.Increment(ref started) != total / 3)
                    return;
                startedAtTheKill = paymentId;
                await owner.Kill();
            }))).WaitAsync(TimeSpan.FromMinutes(4));
        }
        finally
        {
            foreach (var station in stations)
                await station.DisposeAsync();
        }
        Assert.That((owner.HasExited, standby.HasExited), Is.EqualTo((true, false)), "the owner was killed, the standby runs");
        Assert.That(startedAtTheKill, Is.Not.Null);

        for (var g = 0; g < Groups; g++)
        {
            for (var s = 0; s < SessionsPerGroup; s++)
            {
                var paymentId = PaymentId(g, s);
                var instruction = await Instruction(paymentId, TimeSpan.FromSeconds(60));
                Assert.That((instruction.Json["type"]!.GetValue<string>(), instruction.Json["amount"]!["value"]!.GetValue<long>()), Is.EqualTo(("payment.capture", 45L)), paymentId);
            }
            await AssertInStationOrder(g);
        }
        await AssertNoSecondInstructions(Enumerable.Range(0, Groups).SelectMany(g => Enumerable.Range(0, SessionsPerGroup).Select(s => (g, PaymentId(g, s)))));
    }

    private readonly List<OrchestratorProcess> _processes = [];

    // A failed test shows what the orchestrator processes warned about.
    [TearDown]
    public void ShowProcessWarningsOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed)
            return;
        foreach (var process in _processes)
            foreach (var line in process.Output.Where(l => l.Contains("\"@l\"", StringComparison.Ordinal)).TakeLast(30))
                TestContext.Out.WriteLine($"orchestrator {process.Id}: {line}");
    }

    private string PaymentId(int group, int session) => $"pay_failover_{group}_{session}_{Deployment.RunId}";

    // One session per connector, one after another: plug in, pay, accept, start, report Charging, stop with 1,000 Wh.
    private async Task Sessions(StationSimulator station, int group, Func<string, Task> onStarted)
    {
        for (var s = 0; s < SessionsPerGroup; s++)
        {
            var connector = s + 1;
            await Status(station, connector, "Preparing");
            await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(PaymentId(group, s), Deployment.TerminalIdOf(group)));
            // A start appended by the killed owner and not yet published is sent by the relay after its window.
            var remoteStart = await station.NextCallFromGateway(Quiet.AfterRepublish + TimeSpan.FromSeconds(30));
            Assert.That((remoteStart[3]!["connectorId"]!.GetValue<int>(), remoteStart[3]!["idTag"]!.GetValue<string>()), Is.EqualTo((connector, Deployment.IdTagOf(PaymentId(group, s)))));
            await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
            var start = await station.Call("StartTransaction", new JsonObject { ["connectorId"] = connector, ["idTag"] = Deployment.IdTagOf(PaymentId(group, s)), ["meterStart"] = 1000, ["timestamp"] = Now() });
            await onStarted(PaymentId(group, s));
            await Status(station, connector, "Charging");
            await station.Call("StopTransaction", new JsonObject { ["transactionId"] = start[2]!["transactionId"]!.GetValue<int>(), ["meterStop"] = 2000, ["timestamp"] = Now() });
            await Status(station, connector, "Finishing");
        }
    }

    // The station sent, per connector: Preparing, StartTransaction, Charging, StopTransaction, Finishing. The stream must
    // hold their events in that order, across message types and across the failover.
    private async Task AssertInStationOrder(int group)
    {
        // Each connector's last report, Finishing, follows the StopTransaction that settled it: wait until all are applied.
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(group))).OfType<ConnectorStatusNoted>().Count(n => n.Status == ConnectorStatus.Finishing) == SessionsPerGroup,
            TimeSpan.FromSeconds(30), $"group {group}: every connector's Finishing is recorded");
        var events = await GroupEvents(Deployment.GroupIdOf(group));
        for (var connector = 1; connector <= SessionsPerGroup; connector++)
        {
            var story = events.Select(e => e switch
            {
                ConnectorOccupied o when o.ConnectorId == connector => "Preparing",
                ChargingStarted c when c.ConnectorId == connector => "StartTransaction",
                ConnectorStatusNoted n when n.ConnectorId == connector => n.Status.ToString(),
                ChargingStopped c when c.ConnectorId == connector => "StopTransaction",
                _ => null,
            }).OfType<string>().ToList();
            Assert.That(story, Is.EqualTo(new[] { "Preparing", "StartTransaction", "Charging", "StopTransaction", "Finishing" }),
                $"group {group} connector {connector}; the stream: {string.Join(", ", events.Select(e => e.GetType().Name + " " + System.Text.Json.JsonSerializer.Serialize(e)))}");
        }
    }
}
