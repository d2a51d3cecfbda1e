using System.Collections.Concurrent;
using System.Diagnostics;

namespace ChargeLink.Bench;

/// <summary>One service process of the chaos run: which service, its port, and the process now running (null while down).</summary>
public sealed class ChaosInstance(string name, string service, int port)
{
    public string Name { get; } = name;
    public string Service { get; } = service;
    public Uri Url { get; } = new($"http://127.0.0.1:{port}");

    /// <summary>Its management address (/metrics): ten thousand ports above its own.</summary>
    public Uri ManagementUrl { get; } = new($"http://127.0.0.1:{port + 10_000}");
    public Process? Process { get; set; }
    public bool Up => Process is { HasExited: false };

    /// <summary>Started and not ready yet: not a target (a kill now would test the start, not the work).</summary>
    public volatile bool Starting;
    public int Kills;
    public int ErrorLines;
}

/// <summary>
/// Two gateways, two orchestrators and a payment adapter as separate processes (Release builds, as make run starts them),
/// on ports, a PostgreSQL schema and a RabbitMQ vhost of the run's own. An instance can be killed with SIGKILL at any
/// moment and is started again; every error line a service prints is counted and shown.
/// </summary>
public sealed class ChaosDeployment(string root, IReadOnlyDictionary<string, string> settings) : IAsyncDisposable
{
    public IReadOnlyList<ChaosInstance> Instances { get; } =
    [
        new("gateway-a", Deployment.Gateway, 19300), new("gateway-b", Deployment.Gateway, 19301),
        new("orchestrator-a", Deployment.Orchestrator, 19310), new("orchestrator-b", Deployment.Orchestrator, 19311),
        new("payment-adapter", Deployment.PaymentAdapter, 19320),
    ];

    private readonly ConcurrentQueue<string> _errors = new();

    public IEnumerable<ChaosInstance> Gateways => Instances.Where(i => i.Service == Deployment.Gateway);

    /// <summary>The first error lines services printed (all are counted per instance).</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    public async Task StartAll()
    {
        foreach (var instance in Instances)
            await Start(instance);
    }

    /// <summary>Starts the instance and waits until it is ready; a start that fails is tried again, up to three times.</summary>
    public async Task Start(ChaosInstance instance)
    {
        instance.Starting = true;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await StartOnce(instance);
                    return;
                }
                catch (Exception e) when (attempt < 3 && e is InvalidOperationException or TimeoutException)
                {
                    Progress.Line($"chaos: {instance.Name} did not start ({e.Message}); again");
                    Kill(instance, counted: false);
                }
            }
        }
        finally
        {
            instance.Starting = false;
        }
    }

    private async Task StartOnce(ChaosInstance instance)
    {
        var dll = Path.Combine(root, "src", instance.Service, "bin", "Release", "net10.0", instance.Service + ".dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} is missing: build first (make chaos does)");
        var start = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in settings)
            start.Environment[name] = value;
        var variable = instance.Service switch
        {
            Deployment.Gateway => "CHARGELINK_GATEWAY_URL",
            Deployment.Orchestrator => "CHARGELINK_ORCHESTRATOR_URL",
            _ => "CHARGELINK_PAYMENT_URL",
        };
        start.Environment[variable] = instance.Url.ToString();
        start.Environment[Deployment.ManagementVariableOf(instance.Service)] = instance.ManagementUrl.ToString();
        start.Environment["CHARGELINK_LOG_LEVEL"] = "Warning";
        // One JSON object per line: an error and its exception arrive together.
        start.Environment["CHARGELINK_LOG_FORMAT"] = "json";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => Watch(instance, line.Data);
        process.ErrorDataReceived += (_, line) => Watch(instance, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        instance.Process = process;
        await WaitReady(instance);
    }

    // An error a service logs is a finding of the run, whatever the kills did: counted, and the first ones kept. A health
    // check that is not ready yet while an instance starts is logged as an error by ASP.NET Core, and is not one.
    private void Watch(ChaosInstance instance, string? line)
    {
        if (line is null || !(line.Contains("\"@l\":\"Error\"", StringComparison.Ordinal) || line.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal))
            || line.Contains("Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal))
            return;
        Interlocked.Increment(ref instance.ErrorLines);
        if (_errors.Count < 50)
            _errors.Enqueue($"[{instance.Name}] {line}");
        Console.Error.WriteLine($"  [{instance.Name}] {line}");
    }

    private static async Task WaitReady(ChaosInstance instance)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (instance.Process is not { HasExited: false })
                throw new InvalidOperationException($"{instance.Name} exited during start");
            try
            {
                if ((await http.GetAsync(new Uri(instance.Url, "/health/ready"))).IsSuccessStatusCode)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{instance.Name} not ready within 90 s");
    }

    /// <summary>SIGKILL: no shutdown, no flush; whatever it held in memory is gone.</summary>
    public void Kill(ChaosInstance instance, bool counted = true)
    {
        if (instance.Process is not { HasExited: false } process)
            return;
        process.Kill(entireProcessTree: false);
        process.WaitForExit(5000);
        process.Dispose();
        instance.Process = null;
        if (counted)
            Interlocked.Increment(ref instance.Kills);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances)
        {
            if (instance.Process is not { HasExited: false } process)
                continue;
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
