using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>
/// A strict ocpp-rpc station of tests/ocpp-conformance (station.js for 1.6, station2.js for 2.0.1 and 2.1) as a node
/// process: it prints READY once booted with its connector occupied, and DONE with what it saw once charged and stopped.
/// </summary>
public sealed class NodeStation : IDisposable
{
    private readonly Process _node;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeStation(Process node)
    {
        _node = node;
        node.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
                return;
            lock (_output)
                _output.Add(line.Data);
            if (line.Data == "READY")
                _ready.TrySetResult();
        };
        node.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
                return;
            lock (_output)
                _output.Add("stderr: " + line.Data);
        };
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
    }

    public static string Script(string name) =>
        Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../ocpp-conformance", name));

    /// <param name="gateway">ws://host:port/ocpp</param>
    public static NodeStation Start(string script, string gateway, string identity, string protocol, long energyWh)
    {
        var path = Script(script);
        Assert.That(File.Exists(path), Is.True, $"{path} is missing");
        Assert.That(Directory.Exists(Path.Combine(Path.GetDirectoryName(path)!, "node_modules", "ocpp-rpc")), Is.True,
            "ocpp-rpc is not installed: run `make test` (it runs npm ci in tests/ocpp-conformance)");
        var start = new ProcessStartInfo("node", path) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["GATEWAY"] = gateway;
        start.Environment["IDENTITY"] = identity;
        start.Environment["ENERGY_WH"] = energyWh.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PROTOCOL"] = protocol;
        return new NodeStation(Process.Start(start) ?? throw new InvalidOperationException("node did not start"));
    }

    public string Output
    {
        get
        {
            lock (_output)
                return string.Join('\n', _output);
        }
    }

    public async Task Ready(TimeSpan within)
    {
        await Task.WhenAny(_ready.Task, _node.WaitForExitAsync()).WaitAsync(within);
        Assert.That(_ready.Task.IsCompleted, Is.True, "the station did not get through boot and status:\n" + Output);
    }

    /// <summary>Waits for the station to finish and returns what its DONE line says.</summary>
    public async Task<JsonNode> Done(TimeSpan within)
    {
        await _node.WaitForExitAsync().WaitAsync(within);
        Assert.That(_node.ExitCode, Is.Zero, Output);
        string done;
        lock (_output)
            done = _output.Single(l => l.StartsWith("DONE ", StringComparison.Ordinal));
        return JsonNode.Parse(done[5..])!;
    }

    public void Dispose()
    {
        if (!_node.HasExited)
            _node.Kill(entireProcessTree: true);
        _node.Dispose();
    }
}
