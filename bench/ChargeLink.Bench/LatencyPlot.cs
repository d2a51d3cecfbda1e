using System.Text.Json.Nodes;

namespace ChargeLink.Bench;

/// <summary>Tap-to-start latency percentiles against offered load (ScottPlot 5), one line per percentile.</summary>
public static class LatencyPlot
{
    public static void Save(string path, JsonArray steps, JsonNode machine)
    {
        var load = steps.Select(s => s!["OfferedPerSecond"]!.GetValue<double>()).ToArray();
        var plot = new ScottPlot.Plot();
        foreach (var percentile in new[] { "P50", "P95", "P99", "Max" })
        {
            var line = plot.Add.Scatter(load, steps.Select(s => s![percentile]!.GetValue<double>()).ToArray());
            line.LegendText = percentile == "Max" ? "max" : percentile.ToLowerInvariant();
        }
        plot.Add.HorizontalLine(50).LegendText = "p99 target at 50/s (50 ms)";
        plot.Title($"ChargeLink tap-to-start latency ({machine["cores"]} cores, everything on one machine)");
        plot.XLabel("offered load (whole sessions per second)");
        plot.YLabel("payment published -> RemoteStart (ms)");
        plot.Axes.Left.Min = 0;
        plot.ShowLegend();
        plot.SavePng(path, 900, 540);
    }
}
