using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// A station may not flood the gateway, nor hold a connection it never uses. Its frame budget belongs to its id, not its
/// connection, so each test uses a station of its own.
/// </summary>
[TestFixture]
public sealed class GatewayLimitsTests : SystemFixture
{
    protected override int Groups => 5;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_GATEWAY_FRAMES_PER_SECOND"] = "5",
        ["CHARGELINK_GATEWAY_FRAME_BURST"] = "10",
        ["CHARGELINK_GATEWAY_IDLE_SECONDS"] = "2",
    };

    [Test]
    public async Task Frames_beyond_the_rate_get_a_CALLERROR_and_the_station_is_served_again_once_it_slows_down()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(0));
        var sending = System.Diagnostics.Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => station.Call("Heartbeat", [])));
        // The bucket holds the burst (10) and gets 5 more at each second's refill while the 30 are in flight: the bound is
        // what the settings allow for the refills the time they took can hold, so a slow machine moves the bound, not the verdict.
        var allowed = 10 + (5 * ((int)Math.Floor(sending.Elapsed.TotalSeconds) + 1));
        var refused = answers.Count(a => a[0]!.GetValue<int>() == 4);
        Assert.Multiple(() =>
        {
            Assert.That(answers.Count(a => a[0]!.GetValue<int>() == 3), Is.InRange(10, allowed), "the burst, and what refilled meanwhile, is served");
            Assert.That(refused, Is.EqualTo(30 - answers.Count(a => a[0]!.GetValue<int>() == 3)));
            Assert.That(answers.Where(a => a[0]!.GetValue<int>() == 4).Select(a => a[2]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { "GenericError" }));
        });
        // The station slows down (what is under test): it pauses for a refill period (the bucket refills once a second).
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        Assert.That((await station.Call("Heartbeat", []))[0]!.GetValue<int>(), Is.EqualTo(3), "served again after a pause");
    }

    [Test]
    public async Task A_station_that_keeps_flooding_is_disconnected()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(1));
        for (var i = 0; i < 400 && station.CloseStatus is null; i++)
            await station.SendText("""[3, "x", {}]""");
        Assert.That(await station.WaitClosed(TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(station.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
    }

    [Test]
    public async Task A_station_that_sends_nothing_for_the_idle_timeout_is_disconnected()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(2));
        Assert.That((await station.Call("Heartbeat", []))[0]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(await station.WaitClosed(TimeSpan.FromSeconds(10)), Is.True, "closed after 2 s of silence");
        Assert.That(station.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure), "closed by the gateway, cleanly, not dropped");
    }

    [Test]
    public async Task Binary_frames_count_against_the_budget_though_they_are_dropped()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(3));
        // The burst (10) spent on binary frames, which get no answer: the next CALL finds the bucket empty.
        for (var i = 0; i < 10; i++)
            await station.SendBinary([0x5b, 0x32, 0x5d]);
        var answer = await station.Call("Heartbeat", []);
        Assert.That((answer[0]!.GetValue<int>(), answer[2]!.GetValue<string>()), Is.EqualTo((4, "GenericError")), answer.ToJsonString());
    }

    [Test]
    public async Task A_station_that_reconnects_finds_its_budget_as_it_left_it()
    {
        var id = Deployment.ChargePointIdOf(4);
        await using (var first = await StationSimulator.Connect(Deployment.GatewayUrl, id))
        {
            var spent = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => first.Call("Heartbeat", [])));
            Assert.That(spent.Count(a => a[0]!.GetValue<int>() == 3), Is.GreaterThanOrEqualTo(10 - 5), "the burst served (one refill may have come meanwhile)");
        }
        // A new connection is no new budget: what the last one spent is still spent.
        await using var again = await StationSimulator.Connect(Deployment.GatewayUrl, id);
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => again.Call("Heartbeat", [])));
        Assert.That(answers.Count(a => a[0]!.GetValue<int>() == 4), Is.GreaterThan(0), "frames refused on the new connection");
    }
}
