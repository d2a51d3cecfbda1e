using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ChargeLink.Bench;

/// <summary>A chaos run's results in words, beside its JSON.</summary>
public static class ChaosReport
{
    public static string Summary(string id, JsonObject r)
    {
        var text = new StringBuilder();
        var m = r["machine"]!;
        var s = r["sessions"]!;
        text.AppendLine(CultureInfo.InvariantCulture, $"# ChargeLink chaos run {id} ({r["mode"]})");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {m["cores"]} cores ({m["cpu"]}), {m["memoryGiB"]} GiB, {m["os"]}; {r["elapsedSeconds"]} s in all, sessions {r["sessionSeconds"]} s.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"**{r["summary"]}** — {(r["clean"]!.GetValue<bool>() ? "clean" : "NOT CLEAN")}");
        text.AppendLine();
        text.AppendLine("| what | count |");
        text.AppendLine("|---|---|");
        foreach (var (name, value) in s.AsObject().Where(p => p.Key != "examples"))
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
        foreach (var (name, value) in r["stations"]!.AsObject())
            text.AppendLine(CultureInfo.InvariantCulture, $"| stations: {name} | {value} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| kills by instance | {string.Join(", ", r["kills"]!["byInstance"]!.AsObject().Select(p => $"{p.Key} {p.Value}"))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| kills by window | {string.Join(", ", r["kills"]!["byWindow"]!.AsObject().Select(p => $"{p.Key} {p.Value}"))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| audit verify | {r["audit"]!["verify"]} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| audit replay | {r["audit"]!["replay"]} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| service error lines | {r["serviceErrors"]!["count"]} |");
        text.AppendLine();
        text.AppendLine("## Fuzz");
        text.AppendLine();
        foreach (var (name, value) in r["fuzz"]!.AsObject())
            text.AppendLine(CultureInfo.InvariantCulture, $"- {name}: {value?.ToJsonString()}");
        if (s["examples"] is JsonArray { Count: > 0 } examples)
        {
            text.AppendLine();
            text.AppendLine("## Faults (first 20)");
            text.AppendLine();
            foreach (var example in examples)
                text.AppendLine(CultureInfo.InvariantCulture, $"- {example}");
        }
        return text.ToString();
    }
}
