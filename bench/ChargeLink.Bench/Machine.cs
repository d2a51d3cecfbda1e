using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace ChargeLink.Bench;

/// <summary>Which machine the figures come from: every result file says so.</summary>
public static class Machine
{
    public static JsonObject Describe() => new()
    {
        ["cores"] = Environment.ProcessorCount,
        ["cpu"] = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() : null,
        ["memoryGiB"] = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0, 1),
        ["os"] = RuntimeInformation.OSDescription,
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["note"] = "everything on this one machine: RabbitMQ, PostgreSQL, the three services and the load generator",
    };
}
