using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.Simulators;
using NUnit.Framework;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>
/// The situations tests start from, named and written once: "a station of group g with connector c occupied", "a
/// payment the group asked that station to start". A test says which it needs and goes on from there.
/// </summary>
public abstract partial class SystemFixture
{
    /// <summary>A 1.6 station of <paramref name="group"/> connected (to <paramref name="gateway"/>, else the
    /// deployment's), its <paramref name="connector"/> reported Preparing and recorded by the group as occupied.</summary>
    protected async Task<StationSimulator> AStationWithAnOccupiedConnector(int group = 0, int connector = 1, Uri? gateway = null)
    {
        var station = await StationSimulator.Connect(gateway ?? Deployment.GatewayUrl, Deployment.ChargePointIdOf(group));
        await Status(station, connector, "Preparing");
        await Occupied(group, connector);
        return station;
    }

    /// <summary>Waits until <paramref name="group"/>'s stream records <paramref name="connector"/> as occupied.</summary>
    protected Task Occupied(int group, int connector) =>
        Eventually.True(
            async () => (await GroupEvents(Deployment.GroupIdOf(group))).OfType<ConnectorOccupied>().Any(o => o.ConnectorId == connector),
            TimeSpan.FromSeconds(10),
            $"connector {connector} of group {group} waits");

    /// <summary>
    /// A payment authorized at <paramref name="group"/>'s terminal, and the RemoteStartTransaction the gateway sent
    /// <paramref name="station"/> for it (not answered yet).
    /// </summary>
    protected async Task<JsonArray> APaymentAskedToStart(StationSimulator station, int group, string paymentId, long amountMinor = 5000, int withinSeconds = 15)
    {
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(group), amountMinor: amountMinor));
        var remoteStart = await station.NextCallFromGateway(TimeSpan.FromSeconds(withinSeconds));
        Assert.That(remoteStart[2]!.GetValue<string>(), Is.EqualTo("RemoteStartTransaction"), remoteStart.ToJsonString());
        return remoteStart;
    }
}
