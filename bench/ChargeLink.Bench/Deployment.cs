using System.Diagnostics;

namespace ChargeLink.Bench;

/// <summary>
/// The three services as separate processes, started as make run starts them (Release builds), on ports and a
/// PostgreSQL schema of the benchmark's own, logging warnings only.
/// </summary>
public sealed class Deployment(string root, IReadOnlyDictionary<string, string> settings) : IAsyncDisposable
{
    public const string Gateway = "ChargeLink.Gateway", Orchestrator = "ChargeLink.Orchestrator", PaymentAdapter = "ChargeLink.PaymentAdapter";

    private readonly Dictionary<string, Process> _running = [];

    /// <summary>
    /// What every run starts the services with: its broker, database schema, topology and signing secret, and no
    /// per-station flood guard (the runs measure the system, not the guard); a run adds its own on top.
    /// </summary>
    public static Dictionary<string, string> Settings(string rabbitMq, string postgres, string schema, string topologyPath, string secret) => new()
    {
        // The broker accounts are infra/up.sh's development ones.
        ["CHARGELINK_ENVIRONMENT"] = "development",
        ["CHARGELINK_RABBITMQ"] = rabbitMq,
        ["CHARGELINK_POSTGRES"] = postgres,
        ["CHARGELINK_POSTGRES_SCHEMA"] = schema,
        ["CHARGELINK_TOPOLOGY"] = topologyPath,
        ["CHARGELINK_PAYMENT_SECRET"] = secret,
        ["CHARGELINK_GATEWAY_FRAMES_PER_SECOND"] = "100000",
        ["CHARGELINK_GATEWAY_FRAME_BURST"] = "100000",
    };

    public static Uri UrlOf(string service) => new(service switch
    {
        Gateway => "http://127.0.0.1:19000",
        Orchestrator => "http://127.0.0.1:19100",
        _ => "http://127.0.0.1:19200",
    });

    /// <summary>A service's management address (/metrics, /health in detail).</summary>
    public static Uri ManagementUrlOf(string service) => new(service switch
    {
        Gateway => "http://127.0.0.1:19001",
        Orchestrator => "http://127.0.0.1:19101",
        _ => "http://127.0.0.1:19201",
    });

    /// <summary>The variable that sets a service's management address.</summary>
    public static string ManagementVariableOf(string service) => service switch
    {
        Gateway => "CHARGELINK_GATEWAY_MANAGEMENT_URL",
        Orchestrator => "CHARGELINK_ORCHESTRATOR_MANAGEMENT_URL",
        _ => "CHARGELINK_PAYMENT_ADAPTER_MANAGEMENT_URL",
    };

    public int ProcessId(string service) => _running[service].Id;

    /// <summary>Variables of the bench's own environment with this prefix reach the services without it.</summary>
    public const string ServiceVariablePrefix = "CHARGELINK_BENCH_SERVICE_";

    public async Task Start(string service)
    {
        var dll = Path.Combine(root, "src", service, "bin", "Release", "net10.0", service + ".dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} is missing: build first (make bench does)");
        var start = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in settings)
            start.Environment[name] = value;
        start.Environment["CHARGELINK_GATEWAY_URL"] = UrlOf(Gateway).ToString();
        start.Environment["CHARGELINK_ORCHESTRATOR_URL"] = UrlOf(Orchestrator).ToString();
        start.Environment["CHARGELINK_PAYMENT_URL"] = UrlOf(PaymentAdapter).ToString();
        start.Environment[ManagementVariableOf(service)] = ManagementUrlOf(service).ToString();
        start.Environment["CHARGELINK_LOG_LEVEL"] = "Warning";
        // A runtime knob for the services alone, not the load generator (CHARGELINK_BENCH_SERVICE_DOTNET_X=1 gives them
        // DOTNET_X=1): an A/B of a knob measures what it does to them.
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith(ServiceVariablePrefix, StringComparison.Ordinal))
                start.Environment[name[ServiceVariablePrefix.Length..]] = variable.Value as string;
        }
        // Another bench's service on the same port would answer our readiness check while ours fails to bind.
        foreach (var url in new[] { UrlOf(service), ManagementUrlOf(service) })
        {
            using var probe = new System.Net.Sockets.TcpClient();
            if (await probe.ConnectAsync(url.Host, url.Port).WaitAsync(TimeSpan.FromSeconds(1)).ContinueWith(t => t.IsCompletedSuccessfully))
                throw new InvalidOperationException($"{url} is already in use (another bench or `make run`?): stop it first");
        }
        var process = Process.Start(start)!;
        // Drained so a chatty service never blocks on a full pipe; errors are shown, they matter to a reader.
        process.OutputDataReceived += (_, line) => Show(service, line.Data);
        process.ErrorDataReceived += (_, line) => Show(service, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _running[service] = process;
        await WaitReady(service, process);
    }

    // CHARGELINK_BENCH_WARNINGS=1 shows the services' warnings too (retries, for one), when a run needs explaining.
    private static readonly bool ShowWarnings = Environment.GetEnvironmentVariable("CHARGELINK_BENCH_WARNINGS") == "1";

    private static void Show(string service, string? line)
    {
        if (line is not null && (line.Contains(" ERR]", StringComparison.Ordinal) || line.Contains(" FTL]", StringComparison.Ordinal) || (ShowWarnings && line.Contains(" WRN]", StringComparison.Ordinal))))
            Console.Error.WriteLine($"  [{service}] {line}");
    }

    private static async Task WaitReady(string service, Process process)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{service} exited during start ({process.ExitCode})");
            try
            {
                if ((await http.GetAsync(new Uri(UrlOf(service), "/health/ready"))).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{service} not ready within 90 s");
    }

    /// <summary>Stops a service as an operator's restart would: SIGTERM, and SIGKILL only after 30 s.</summary>
    public async Task Stop(string service)
    {
        if (!_running.Remove(service, out var process))
            return;
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    /// <summary>Resident memory of a service now, in bytes (VmRSS).</summary>
    public long ResidentBytes(string service) => Proc.ResidentBytes(ProcessId(service));

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _running.Keys.ToList())
            await Stop(service);
    }
}

/// <summary>What /proc says about a process.</summary>
public static class Proc
{
    public static long ResidentBytes(int pid) => Field(pid, "VmRSS:");

    private static long Field(int pid, string name)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
                return long.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }
}
