using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>
/// infra/run.sh as `make run` runs it once the build is done: `bash infra/run.sh &lt;configuration&gt;` from the repository
/// root (the configuration these tests were built in, Release under make). It runs in a session of its own (setsid), so
/// it and the services it starts form one process group, which <see cref="DisposeAsync"/> kills, whatever became of
/// run.sh: no service it started outlives the test. Everything it and its services print is kept for a failing test.
/// </summary>
public sealed class RunScript : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _awaited = new();

    private RunScript(Process process)
    {
        _process = process;
        Id = process.Id;
    }

    /// <summary>run.sh's process id, which is also its process group's id (setsid made it the group's leader).</summary>
    public int Id { get; }

    /// <summary>Every line printed so far (stdout and stderr, interleaved as they arrived).</summary>
    public string Output => string.Join('\n', _output);

    public int ExitCode => _process.ExitCode;

    /// <summary>For a failure message: "still running" or "exited with N".</summary>
    public string State => _process.HasExited ? $"exited with {_process.ExitCode}" : "still running";

    /// <param name="environment">Variables to set for run.sh (a null value removes one the test process has).</param>
    public static async Task<RunScript> Start(IReadOnlyDictionary<string, string?> environment)
    {
        var configuration = typeof(RunScript).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var start = new ProcessStartInfo("setsid", ["bash", "infra/run.sh", configuration])
        {
            WorkingDirectory = RealServices.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            if (value is null)
                start.Environment.Remove(key);
            else
                start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start setsid bash infra/run.sh");
        var run = new RunScript(process);
        process.OutputDataReceived += (_, line) => run.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => run.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // setsid (not a group leader, so it does not fork) makes a session and then execs bash: until then the process is
        // in the test's own group, and a signal to "its group" would be a signal to the test.
        await Eventually.True(() => Task.FromResult(GroupOf(run.Id) == run.Id || process.HasExited), TimeSpan.FromSeconds(10), $"setsid made process {run.Id} a process group of its own");
        return run;
    }

    /// <summary>Waits until run.sh prints exactly this line; false when it exits, or the time is up, first.</summary>
    public async Task<bool> Prints(string line, TimeSpan within)
    {
        var printed = _awaited.GetOrAdd(line, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        // Kept before this waiter was added: Keep enqueues first and looks for waiters second, so one of the two sees it.
        if (_output.Any(l => l.Trim() == line))
            printed.TrySetResult();
        try
        {
            await Task.WhenAny(printed.Task, _process.WaitForExitAsync()).WaitAsync(within);
        }
        catch (TimeoutException)
        {
        }
        return printed.Task.IsCompleted;
    }

    /// <summary>Sends a signal (TERM, INT, ...) to run.sh alone, as `kill` or a service manager does.</summary>
    public Task Signal(string signal) => Kill(signal, Id.ToString(CultureInfo.InvariantCulture));

    /// <summary>True when run.sh has exited (and its output is read to the end) within the time given.</summary>
    public async Task<bool> Exits(TimeSpan within)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(within);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The processes of run.sh's group still running ("pid command line"): run.sh and whatever it started.</summary>
    public IReadOnlyList<string> ProcessesLeft()
    {
        var left = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || GroupOf(pid) != Id)
                continue;
            try
            {
                left.Add($"{pid} {File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim()}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }
        return left;
    }

    /// <summary>The process group of a live process; null when it is gone or a zombie (dead, only not yet reaped).</summary>
    private static int? GroupOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so fields count from its last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields[0] == "Z" ? null : int.Parse(fields[2], CultureInfo.InvariantCulture);
    }

    // bash's own kill: run.sh needs bash anyway, while a kill program (procps) is missing from slim images.
    private static async Task Kill(string signal, string target)
    {
        using var kill = Process.Start(new ProcessStartInfo("bash", ["-c", "kill -s \"$0\" -- \"$1\"", signal, target]) { UseShellExecute = false, RedirectStandardError = true })
            ?? throw new InvalidOperationException("could not start bash for kill");
        var error = await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
            throw new InvalidOperationException($"kill -s {signal} -- {target} failed: {error}");
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        if (_awaited.TryGetValue(line.Trim(), out var printed))
            printed.TrySetResult();
    }

    /// <summary>SIGKILL to the whole group if anything of it is left, then waits (bounded) until it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (ProcessesLeft().Count > 0)
        {
            try
            {
                await Kill("KILL", $"-{Id}");
            }
            catch (InvalidOperationException)
            {
                // The group emptied meanwhile.
            }
        }
        await Exits(TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (ProcessesLeft().Count > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        _process.Dispose();
    }
}
