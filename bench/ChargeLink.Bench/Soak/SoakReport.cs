using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChargeLink.Bench.Soak;

/// <summary>A soak run written three ways: JSON, a Markdown summary against the issue's bars, and four plots.</summary>
public static class SoakReport
{
    public static async Task<string[]> Write(string directory, string id, JsonObject results, IReadOnlyList<(double Minutes, double OrchestratorMiB, double GatewayMiB, double RelayLagSeconds)> samples)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, $"{id}.json");
        var markdown = Path.Combine(directory, $"{id}.md");
        await File.WriteAllTextAsync(json, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var plots = Plot(Path.Combine(directory, id), results, samples);
        await File.WriteAllTextAsync(markdown, Summary(id, results));
        return [json, markdown, .. plots];
    }

    private static string[] Plot(string prefix, JsonObject results, IReadOnlyList<(double Minutes, double OrchestratorMiB, double GatewayMiB, double RelayLagSeconds)> samples)
    {
        var minutes = samples.Select(s => s.Minutes).ToArray();
        var memory = new ScottPlot.Plot();
        memory.Add.Scatter(minutes, samples.Select(s => s.OrchestratorMiB).ToArray()).LegendText = "orchestrator";
        memory.Add.Scatter(minutes, samples.Select(s => s.GatewayMiB).ToArray()).LegendText = "gateway";
        memory.Title("resident memory (MiB)");
        memory.XLabel("minutes");
        memory.Axes.Left.Min = 0;
        memory.ShowLegend();

        var lag = new ScottPlot.Plot();
        lag.Add.Scatter(minutes, samples.Select(s => s.RelayLagSeconds).ToArray()).LegendText = "relay lag";
        lag.Add.HorizontalLine(5).LegendText = "bar: 5 s";
        lag.Title("command relay lag (s)");
        lag.XLabel("minutes");
        lag.Axes.Left.Min = 0;
        lag.ShowLegend();

        var verdict = results["verdict"]!;
        var tenths = verdict["cpuMsPerSessionByTenth"]!.AsArray().Select(t => t!.GetValue<double>()).ToArray();
        var cpu = new ScottPlot.Plot();
        cpu.Add.Scatter(Enumerable.Range(1, tenths.Length).Select(t => (double)t).ToArray(), tenths).LegendText = "all parts but the load generator";
        cpu.Title("CPU per session, by tenth of the run (ms)");
        cpu.XLabel("tenth");
        cpu.Axes.Left.Min = 0;
        cpu.ShowLegend();

        var cold = results["coldStart"]!["allFirstDecisionSeconds"]!.AsArray().Select(s => s!.GetValue<double>()).ToArray();
        var start = new ScottPlot.Plot();
        start.Add.Scatter(cold, Enumerable.Range(1, cold.Length).Select(n => (double)n).ToArray()).LegendText = "groups decided";
        start.Add.VerticalLine(2).LegendText = "bar: 2 s";
        start.Title("after a cold restart: groups that decided (count) by seconds");
        start.XLabel("seconds after the reports");
        start.ShowLegend();

        var written = new List<string>();
        foreach (var (name, plot) in new[] { ("memory", memory), ("lag", lag), ("cpu", cpu), ("coldstart", start) })
        {
            var file = $"{prefix}-{name}.png";
            plot.SavePng(file, 600, 400);
            written.Add(file);
        }
        return [.. written];
    }

    private static string Summary(string id, JsonObject r)
    {
        var m = r["machine"]!;
        var p = r["plan"]!;
        var v = r["verdict"]!;
        var s = r["sessions"]!;
        var c = r["coldStart"]!;
        var g = r["largestGroupState"]!;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# ChargeLink soak {id} ({r["mode"]})");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {m["cores"]} cores ({m["cpu"]}), {m["memoryGiB"]} GiB, {m["os"]}, {m["dotnet"]}; {m["note"]}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{p["Sessions"]:N0} sessions offered over {p["Groups"]} groups at {p["Rate"]}/s for {p["LengthSeconds"]} s, retention period {p["RetentionSeconds"]} s. " +
            $"Sessions: {s["Sessions"]} run, {s["CapturedInStore"]} captured in the store, lost {s["Lost"]}, doubled {s["Doubled"]}, failed {s["Failed"]}, not issued {s["NotIssued"]}; tap-to-start p50 {s["P50"]} ms, p99 {s["P99"]} ms.");
        text.AppendLine();
        text.AppendLine("| bar | measured | met |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| orchestrator resident memory over the last three quarters varies < 15 % | {v["orchestratorMiBLastThreeQuarters"]?["min"]}–{v["orchestratorMiBLastThreeQuarters"]?["max"]} MiB: {v["orchestratorMemorySpreadLastThreeQuarters"]!.GetValue<double>():P1} | {Yes(v["memoryMet"])} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| CPU per session in the last tenth within 10 % of the first | {string.Join(" / ", v["cpuMsPerSessionByTenth"]!.AsArray())} ms by tenth: {v["cpuChangeFirstToLastTenth"]!.GetValue<double>():+0.0%;-0.0%} | {Yes(v["cpuMet"])} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| relay lag under 5 s | at most {v["relayLagMaxSeconds"]} s | {Yes(v["relayMet"])} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| after a cold restart every group decides its first new message within 2 s | {c["groupsDecided"]}/{c["groups"]} groups; first decisions p50 {c["firstDecisionSeconds"]!["p50"]} s, last {c["firstDecisionSeconds"]!["max"]} s after the reports (orchestrator ready {c["readySeconds"]} s after its start) | {Yes(v["coldStartMet"])} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| the largest group's state (its latest snapshot) | {g["largestStateBytes"]:N0} bytes, {g["mostPaymentsRemembered"]} payments remembered; {g["groupsWithSnapshot"]} groups with a snapshot, the longest stream at {g["longestStreamAtSnapshot"]} events | reported |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"![resident memory]({id}-memory.png) ![relay lag]({id}-lag.png)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"![CPU per session by tenth]({id}-cpu.png) ![first decisions after a cold restart]({id}-coldstart.png)");
        return text.ToString();
    }

    private static string Yes(JsonNode? met) => met?.GetValue<bool>() == true ? "yes" : "**no**";
}
