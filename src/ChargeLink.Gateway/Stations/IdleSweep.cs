namespace ChargeLink.Gateway.Stations;

/// <summary>
/// Closes the connections of stations that sent nothing for the idle timeout: one walk over the connections a few
/// times per timeout, instead of a timer armed and disarmed for every frame of every station (a connection then keeps
/// only the time of its last frame). A station is closed at most a quarter of the timeout (at most 30 s) late.
/// </summary>
public sealed class IdleSweep(ConnectionRegistry connections, GatewayOptions options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromTicks(
            Math.Clamp(options.IdleTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 250, TimeSpan.TicksPerSecond * 30)
        );
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = Environment.TickCount64;
                foreach (var connection in connections.All)
                    connection.CloseIfIdle(now);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
