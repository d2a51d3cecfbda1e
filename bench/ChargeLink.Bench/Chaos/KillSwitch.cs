namespace ChargeLink.Bench;

/// <summary>
/// Decides when and what to kill: the kills are spread over the sessions; a third of them hit a random instance at a
/// random moment, the others are aimed at a window where something is in flight — a remote start not yet answered,
/// a StartTransaction or StopTransaction just answered (the station then misses the answer), a payment just published,
/// a session just stopped (its settlement in flight). A killed instance is started again 1-3 s later.
/// </summary>
public sealed class KillSwitch(ChaosDeployment deployment, ChaosPlan plan) : IChaosWindows
{
    private static readonly string[] Windows = ["command", "start-answered", "stop-answered", "payment", "settlement"];
    private readonly Random _random = new(20261125);
    private readonly object _gate = new();
    private readonly List<Task> _restarts = [];
    private string? _aim;
    private DateTime _aimedAt;
    private int _done;
    private int _completed;

    public int Done => _done;
    public Dictionary<string, int> ByWindow { get; } = [];

    /// <summary>Called as sessions complete: the next kill is due every Sessions / (Kills + 1) sessions.</summary>
    public void SessionCompleted()
    {
        var completed = Interlocked.Increment(ref _completed);
        lock (_gate)
        {
            if (_done + (_aim is null ? 0 : 1) >= plan.Kills || completed < (_done + 1) * plan.Sessions / (plan.Kills + 1))
                return;
            if (_aim is null && _random.Next(3) > 0)
                _aim = Windows[_random.Next(Windows.Length)];
            else if (_aim is null)
                KillRandom("random");
            _aimedAt = DateTime.UtcNow;
        }
    }

    /// <summary>An aimed kill whose window did not come within 10 s becomes a random one.</summary>
    public void Tick()
    {
        lock (_gate)
        {
            if (_aim is not null && DateTime.UtcNow - _aimedAt > TimeSpan.FromSeconds(10))
            {
                _aim = null;
                KillRandom("random (window not reached)");
            }
        }
    }

    public bool CommandInFlight(ChaosStation station) => Aimed("command", () => GatewayOf(station));

    public bool TransactionAnswered(ChaosStation station, string action) =>
        Aimed(action == "StartTransaction" ? "start-answered" : "stop-answered", () => GatewayOf(station));

    public void PaymentPublished() => Aimed("payment", () => Pick(Deployment.Orchestrator));

    public void SessionStopped() => Aimed("settlement", () => _random.Next(2) == 0 ? Pick(Deployment.PaymentAdapter) : Pick(Deployment.Orchestrator));

    public Resend ChooseResend()
    {
        lock (_gate)
            return (Resend)_random.Next(3);
    }

    /// <summary>Waits until every killed instance runs again.</summary>
    public async Task Settle()
    {
        Task[] pending;
        lock (_gate)
            pending = [.. _restarts];
        await Task.WhenAll(pending);
    }

    private bool Aimed(string window, Func<ChaosInstance?> target)
    {
        lock (_gate)
        {
            if (_aim != window || target() is not { Up: true, Starting: false } instance)
                return false;
            _aim = null;
            Kill(instance, window);
            return true;
        }
    }

    private ChaosInstance? GatewayOf(ChaosStation station) => deployment.Gateways.FirstOrDefault(g => g.Url == station.Gateway);

    private ChaosInstance? Pick(string service)
    {
        var up = deployment.Instances.Where(i => i.Service == service && i.Up && !i.Starting).ToList();
        return up.Count == 0 ? null : up[_random.Next(up.Count)];
    }

    private void KillRandom(string why)
    {
        var up = deployment.Instances.Where(i => i.Up && !i.Starting).ToList();
        if (up.Count > 0)
            Kill(up[_random.Next(up.Count)], why);
    }

    private void Kill(ChaosInstance instance, string why)
    {
        deployment.Kill(instance);
        _done++;
        ByWindow[why] = ByWindow.GetValueOrDefault(why) + 1;
        Progress.Line($"chaos: kill {_done}/{plan.Kills}: SIGKILL {instance.Name} ({why})");
        var delay = TimeSpan.FromMilliseconds(1000 + _random.Next(2000));
        _restarts.Add(Task.Run(async () =>
        {
            await Task.Delay(delay);
            await deployment.Start(instance);
        }));
    }
}
