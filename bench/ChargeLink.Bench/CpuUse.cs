using System.Globalization;
using System.Text.Json.Nodes;

namespace ChargeLink.Bench;

/// <summary>
/// Where the time goes: CPU seconds used by each part of the system between two snapshots, from /proc (utime +
/// stime): the three services, RabbitMQ (beam.smp), PostgreSQL (every postgres process) and the load generator.
/// PostgreSQL's backends and autovacuum workers come and go: a process that exited between two snapshots would take
/// its CPU with it (a negative share), so each postgres and beam process also counts its reaped children's time
/// (cutime + cstime), which is where an exited backend's CPU goes once the postmaster has waited for it.
/// </summary>
public sealed class CpuUse(Deployment deployment)
{
    public Dictionary<string, double> Snapshot()
    {
        var use = new Dictionary<string, double>
        {
            ["gateway"] = Seconds(deployment.ProcessId(Deployment.Gateway)),
            ["orchestrator"] = Seconds(deployment.ProcessId(Deployment.Orchestrator)),
            ["payment adapter"] = Seconds(deployment.ProcessId(Deployment.PaymentAdapter)),
            ["load generator"] = Seconds(Environment.ProcessId),
        };
        foreach (var (part, seconds) in Servers())
            use[part] = seconds;
        return use;
    }

    /// <summary>RabbitMQ's (beam.smp) and PostgreSQL's (every postgres process) CPU seconds so far.</summary>
    public static Dictionary<string, double> Servers()
    {
        var use = new Dictionary<string, double> { ["rabbitmq"] = 0, ["postgresql"] = 0 };
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var name = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                if (name == "beam.smp")
                    use["rabbitmq"] += Seconds(pid, withReapedChildren: true);
                else if (name.StartsWith("postgres", StringComparison.Ordinal))
                    use["postgresql"] += Seconds(pid, withReapedChildren: true);
            }
            catch (IOException)
            {
                // gone meanwhile
            }
        }
        return use;
    }

    public static JsonObject Between(Dictionary<string, double> before, Dictionary<string, double> after, int sessions)
    {
        var result = new JsonObject();
        foreach (var (part, seconds) in after)
        {
            var used = seconds - before.GetValueOrDefault(part);
            result[part] = new JsonObject
            {
                ["cpuSeconds"] = Math.Round(used, 1),
                ["cpuMsPerSession"] = sessions == 0 ? null : Math.Round(used * 1000 / sessions, 2),
            };
        }
        return result;
    }

    /// <summary>
    /// The step's own CPU per session, and what of it is the system's cost at rest over the step's length: the rest is
    /// what a session itself costs (the marginal cost, the figure that falls with batching).
    /// </summary>
    public static string StepLine(StepResult step, IReadOnlyDictionary<string, double> idleCores)
    {
        var within = step.CpuMsPerSession!.Where(p => p.Key != "load generator").ToList();
        var seconds = step.CpuWindowSeconds!.Value;
        var idleMs = within.ToDictionary(p => p.Key, p => idleCores[p.Key] * seconds * 1000 / step.Sessions);
        return $"CPU ms per session within the step: {string.Join(", ", within.Select(p => $"{p.Key} {p.Value}"))}; "
            + $"all {Math.Round(within.Sum(p => p.Value), 1)}, of which at rest {Math.Round(idleMs.Values.Sum(), 1)} "
            + $"(idle cores {Math.Round(within.Sum(p => idleCores[p.Key]), 3)}); per session beyond rest: "
            + $"{string.Join(", ", within.Select(p => $"{p.Key} {Math.Round(p.Value - idleMs[p.Key], 2)}"))}; "
            + $"all {Math.Round(within.Sum(p => p.Value) - idleMs.Values.Sum(), 1)}";
    }

    // Fields 14 and 15 of /proc/PID/stat (16 and 17 for reaped children), in clock ticks (100 per second on Linux); the
    // name (field 2) may hold spaces.
    public static double Seconds(int pid, bool withReapedChildren = false)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (withReapedChildren)
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }
}
