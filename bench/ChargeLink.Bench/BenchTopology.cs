using System.Text.Json;

namespace ChargeLink.Bench;

/// <summary>
/// The topology a run uses: one group per session station (one connector, one terminal, so a payment's connector
/// is known), groups of 100 stations for the connection storm, and one group for the frames-per-second baseline.
/// </summary>
public sealed class BenchTopology(BenchPlan plan)
{
    public const int StationsPerConnectionGroup = 100;

    public string SessionStation(int i) => $"BS-{i:D5}";
    public string SessionTerminal(int i) => $"BT-{i:D5}";
    public string SessionGroup(int i) => $"bench-s-{i:D5}";
    public string ConnectionStation(int i) => $"BC-{i:D5}";
    public string BaselineStation(int i) => $"BB-{i:D5}";

    public int SessionStations => plan.SessionStations;

    public async Task Write(string path)
    {
        var groups = new List<object>();
        for (var i = 0; i < plan.SessionStations; i++)
            groups.Add(Group(SessionGroup(i), [SessionTerminal(i)], [SessionStation(i)]));
        for (var g = 0; g * StationsPerConnectionGroup < plan.Connections; g++)
        {
            var stations = Enumerable.Range(g * StationsPerConnectionGroup, Math.Min(StationsPerConnectionGroup, plan.Connections - g * StationsPerConnectionGroup)).Select(ConnectionStation).ToArray();
            groups.Add(Group($"bench-c-{g:D4}", [$"BCT-{g:D4}"], stations));
        }
        groups.Add(Group("bench-b", ["BBT"], [.. Enumerable.Range(0, plan.BaselineStations).Select(BaselineStation)]));
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { stationGroups = groups }));
    }

    private static object Group(string id, string[] terminals, string[] stations) => new
    {
        id,
        name = id,
        tariff = new { pricePerKwhMinor = 45, currency = "EUR" },
        terminals,
        // Simulated stations without passwords, on a development machine: OCPP security profile 0, said openly.
        securityProfile = 0,
        stations = stations.Select(s => new { chargePointId = s, connectors = new[] { 1 } }),
    };
}
