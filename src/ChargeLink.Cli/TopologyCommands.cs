using ChargeLink.Domain.Topology;

namespace ChargeLink.Cli;

/// <summary>`chargelink topology check FILE`: validates a topology file before it is deployed.</summary>
public static class TopologyCommands
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("file")
        {
            Description = "the topology JSON file (CHARGELINK_TOPOLOGY's format)",
        };
        var check = new Command(
            "check",
            "validate a topology file; exit 0 if valid, 1 naming the offending entry if not"
        )
        {
            file,
        };
        check.SetAction((result, _) => Check(result.GetValue(file)!, console));
        return new Command("topology", "the site topology: terminals -> station groups -> stations -> connectors")
        {
            check,
        };
    }

    private static async Task<int> Check(FileInfo file, CliConsole console)
    {
        if (!file.Exists)
        {
            await console.Error.WriteLineAsync($"chargelink: {file} does not exist");
            return 2;
        }
        try
        {
            var topology = TopologyFile.Parse(await File.ReadAllTextAsync(file.FullName));
            foreach (var group in topology.Groups)
            {
                await console.Out.WriteLineAsync(
                    $"{group.Id} ({group.Name}): {group.Terminals.Count} terminal(s), "
                        + $"{group.Stations.Count} station(s), "
                        + $"{group.Stations.Sum(s => s.Connectors.Count)} connector(s), "
                        + $"{group.Tariff.PricePerKwhMinor} {group.Tariff.Currency} minor units per kWh"
                );
            }
            await console.Out.WriteLineAsync($"{file}: valid");
            return 0;
        }
        catch (TopologyException e)
        {
            await console.Error.WriteLineAsync($"{file}: invalid: {e.Message}");
            return 1;
        }
    }
}
