using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ChargeLink.Cli.Simulators;
using ChargeLink.IntegrationTests.Support;

namespace ChargeLink.IntegrationTests;

/// <summary>A station may not flood the gateway, nor hold a connection it never uses.</summary>
[TestFixture]
public sealed class GatewayLimitsTests : SystemFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_GATEWAY_FRAMES_PER_SECOND"] = "5",
        ["CHARGELINK_GATEWAY_FRAME_BURST"] = "10",
        ["CHARGELINK_GATEWAY_IDLE_SECONDS"] = "2",
    };

    [Test]
    public async Task Frames_beyond_the_rate_get_a_CALLERROR_and_the_station_is_served_again_once_it_slows_down()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        var sending = System.Diagnostics.Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => station.Call("Heartbeat", [])));
        // The bucket holds the burst (10) and refills at 5 per second while the 30 are in flight: the bound is what the
        // settings allow for the time they took, so a slow machine moves the bound, not the verdict.
        var allowed = 10 + (int)Math.Ceiling(sending.Elapsed.TotalSeconds * 5);
        var refused = answers.Count(a => a[0]!.GetValue<int>() == 4);
        Assert.Multiple(() =>
        {
            Assert.That(answers.Count(a => a[0]!.GetValue<int>() == 3), Is.InRange(10, allowed), "the burst, and what refilled meanwhile, is served");
            Assert.That(refused, Is.EqualTo(30 - answers.Count(a => a[0]!.GetValue<int>() == 3)));
            Assert.That(answers.Where(a => a[0]!.GetValue<int>() == 4).Select(a => a[2]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { "GenericError" }));
        });
        // The station slows down (what is under test): it pauses for five frames' worth of refill at the configured rate.
        await Task.Delay(TimeSpan.FromSeconds(5.0 / int.Parse(Settings["CHARGELINK_GATEWAY_FRAMES_PER_SECOND"]!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That((await station.Call("Heartbeat", []))[0]!.GetValue<int>(), Is.EqualTo(3), "served again after a pause");
    }

    [Test]
    public async Task A_station_that_keeps_flooding_is_disconnected()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        for (var i = 0; i < 400 && station.CloseStatus is null; i++)
            await station.SendText("""[3, "x", {}]""");
        Assert.That(await station.WaitClosed(TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(station.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
    }

    [Test]
    public async Task A_station_that_sends_nothing_for_the_idle_timeout_is_disconnected()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        Assert.That((await station.Call("Heartbeat", []))[0]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(await station.WaitClosed(TimeSpan.FromSeconds(10)), Is.True, "closed after 2 s of silence");
        Assert.That(station.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure), "closed by the gateway, cleanly, not dropped");
    }
}
