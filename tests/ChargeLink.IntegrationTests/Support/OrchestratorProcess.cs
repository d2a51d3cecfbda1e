using System.Collections.Concurrent;
using System.Diagnostics;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>
/// An orchestrator in a process of its own (the build's ChargeLink.Orchestrator.dll), so that a test can kill it as a
/// crash does: SIGKILL, no shutdown, no flush, whatever it held in memory or had not acknowledged left where it was.
/// </summary>
public sealed class OrchestratorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private OrchestratorProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        Id = process.Id;
    }

    public Uri Url { get; }

    /// <summary>The process id, kept: it is still wanted in a report after the process is gone.</summary>
    public int Id { get; }

    /// <summary>The process's console output so far (JSON log lines), for a failing test to show.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public static async Task<OrchestratorProcess> Start(ChargeLinkSystem deployment)
    {
        var url = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}");
        // The test project references the orchestrator, so its build output (dll, deps, runtimeconfig) is beside ours.
        var dll = Path.Combine(AppContext.BaseDirectory, "ChargeLink.Orchestrator.dll");
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet, [dll])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in deployment.Settings())
            start.Environment[key] = value;
        start.Environment["CHARGELINK_ORCHESTRATOR_URL"] = url.ToString();
        start.Environment["CHARGELINK_LOG_FORMAT"] = "json";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dll}");
        var orchestrator = new OrchestratorProcess(process, url);
        process.OutputDataReceived += (_, line) => orchestrator.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => orchestrator.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        await Eventually.True(async () =>
        {
            if (process.HasExited)
                Assert.Fail($"the orchestrator process exited with {process.ExitCode}: {string.Join('\n', orchestrator._output.TakeLast(20))}");
            return (await http.GetAsync(new Uri(url, "/health/ready"))).IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(60), $"orchestrator process {url}health/ready answers 200");
        return orchestrator;
    }

    /// <summary>SIGKILL: the process ends at once, mid-message if it is in one.</summary>
    public async Task Kill()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public bool HasExited => _process.HasExited;

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        while (_output.Count > 2000)
            _output.TryDequeue(out _);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await Kill();
        _process.Dispose();
    }
}
