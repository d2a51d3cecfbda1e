using System.Text.Json;

namespace ChargeLink.Bench;

/// <summary>The chaos run's sites: per group two stations of one connector and one terminal; and a group for the fuzz.</summary>
public sealed class ChaosTopology(ChaosPlan plan)
{
    public const int FuzzStations = 8;

    public string Group(int g) => $"chaos-{g:D3}";
    public string Terminal(int g) => $"CHT-{g:D3}";
    public string[] Stations(int g) => [$"CH-{g:D3}-A", $"CH-{g:D3}-B"];
    public IReadOnlyList<string> FuzzStationIds => [.. Enumerable.Range(0, FuzzStations).Select(i => $"CF-{i}")];
    public string ServedStation => "CF-SERVED";

    public async Task Write(string path)
    {
        var groups = Enumerable.Range(0, plan.Groups).Select(g => Site(Group(g), [Terminal(g)], Stations(g))).ToList();
        groups.Add(Site("chaos-fuzz", ["CFT"], [.. FuzzStationIds, ServedStation]));
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { stationGroups = groups }));
    }

    private static object Site(string id, string[] terminals, string[] stations) => new
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
