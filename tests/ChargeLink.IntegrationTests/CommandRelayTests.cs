using System.Text.Json.Nodes;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Serilog.Events;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// In steady state each command goes out once: the relay re-publishes only what no one on its instance saw confirmed.
/// (That it does re-publish an unconfirmed one is CrashRecoveryTests' case.)
/// </summary>
[TestFixture]
public sealed class CommandRelayTests : SystemFixture
{
    [Test]
    public async Task A_start_command_confirmed_by_the_broker_is_not_published_a_second_time_by_the_relay()
    {
        await using var station = await AStationWithAnOccupiedConnector();
        var paymentId = $"pay_{Deployment.RunId}_once";
        var remoteStart = await APaymentAskedToStart(station, 0, paymentId);
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });

        // The relay reads 3 s behind the head; past its window a copy would have reached the gateway, which logs it.
        await Task.Delay(Quiet.AfterRepublish);
        var repeats = Deployment.Logs.Events.Count(e => e.Level == LogEventLevel.Information
            && IsDroppedRepeat(e)
            && LogCapture.Property(e, "PaymentId") == paymentId);
        Assert.That(repeats, Is.EqualTo(0), "copies of the StartCharging that reached the gateway");
    }

    // The gateway logs a repeated StartCharging it drops: the process's own memory of ids, or the command ledger.
    private static bool IsDroppedRepeat(Serilog.Events.LogEvent e) =>
        e.MessageTemplate.Text.StartsWith("StartCharging {MessageId}", StringComparison.Ordinal)
        || (e.MessageTemplate.Text.StartsWith("{CommandType} {MessageId}", StringComparison.Ordinal) && LogCapture.Property(e, "CommandType") == "StartCharging");
}
