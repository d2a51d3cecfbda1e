using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Serilog.Events;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// Fault 7 of the money issue: a payment waits at a terminal of a group, and ChargeLink restarts with a topology that no
/// longer has that group. Before, the orchestrator faulted on the group's deadline every 5 s (logged at Error) and the
/// driver's hold was never released.
/// </summary>
[TestFixture]
public sealed class TopologyChangeTests : SystemFixture
{
    protected override int Groups => 2;

    private const int Kept = 0, Removed = 1;

    [Test]
    public async Task A_payment_of_a_group_that_left_the_topology_is_voided_at_the_restart_and_nothing_faults()
    {
        var waiting = $"pay_removed_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(waiting, Deployment.TerminalIdOf(Removed)));
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Removed))).OfType<PaymentAuthorizationReceived>().Any(), TimeSpan.FromSeconds(15), "the payment waits in its group");

        // The operator takes the group out of the topology file and restarts the orchestrator.
        await Deployment.StopOrchestrator(Deployment.Orchestrators.Single());
        var topology = JsonNode.Parse(await File.ReadAllTextAsync(Deployment.TopologyPath))!.AsObject();
        var groups = topology["stationGroups"]!.AsArray();
        groups.Remove(groups.Single(g => g!["id"]!.GetValue<string>() == Deployment.GroupIdOf(Removed)));
        await File.WriteAllTextAsync(Deployment.TopologyPath, topology.ToJsonString());
        var restartedAt = DateTimeOffset.UtcNow;
        await Deployment.StartOrchestrator();

        var voided = await Instruction(waiting, TimeSpan.FromSeconds(30));
        Assert.That((voided.Json["type"]!.GetValue<string>(), voided.Json["reason"]?.GetValue<string>(), voided.Signed), Is.EqualTo(("payment.void", VoidReason.GroupRemoved, true)));
        Assert.That(DateTimeOffset.UtcNow - restartedAt, Is.LessThan(TimeSpan.FromSeconds(60)), "at the restart, not at the payment's 180 s wait");

        // The group that stayed still works: a plug-in and a payment start charging there.
        await using var station = await AStationWithAnOccupiedConnector(Kept);
        var kept = $"pay_kept_{Deployment.RunId}";
        var start = await APaymentAskedToStart(station, Kept, kept);
        Assert.That(start[3]!["idTag"]!.GetValue<string>(), Is.EqualTo(Deployment.IdTagOf(kept)));

        await AssertNoSecondInstruction(Removed, waiting);
        var errors = Deployment.Logs.Events.Where(e => e.Timestamp >= restartedAt && e.Level >= LogEventLevel.Error).Select(e => e.RenderMessage()).ToList();
        Assert.That(errors, Is.Empty, "no fault loop on the removed group's messages");
    }
}
