using ChargeLink.Domain.Topology;

namespace ChargeLink.Cli;

/// <summary>
/// `chargelink`: the operator's and auditor's tool. Today it checks topology files and plays a station and
/// the payment cloud for a demo; the audit commands (timeline, explain, replay, verify, export) build on the
/// event stream and come with the audit work.
/// </summary>
public static class CliApp
{
    private static readonly string Usage = $"""
        usage: chargelink <command>

          topology check FILE   validate a topology file before it is deployed (exit 0 if valid)
        {DemoCommand.Help}
          --help                this text
        """;

    public static async Task<int> Run(string[] args, TextWriter output, TextWriter error)
    {
        switch (args)
        {
            case ["topology", "check", var file]:
                return await CheckTopology(file, output, error);
            case ["demo", "--help" or "-h"]:
                await output.WriteLineAsync($"usage: chargelink\n{DemoCommand.Help}");
                return 0;
            case ["demo", .. var rest]:
                return Options(rest) is { } options
                    ? await DemoCommand.Run(options, output, error)
                    : await Fail(error, "demo: options are --name value pairs; see chargelink --help");
            case [] or ["--help" or "-h" or "help", ..] or ["topology", "--help" or "-h"]:
                await output.WriteLineAsync(Usage);
                return args.Length == 0 ? 2 : 0;
            default:
                await error.WriteLineAsync($"chargelink: unknown command '{string.Join(' ', args)}'\n{Usage}");
                return 2;
        }
    }

    private static Dictionary<string, string>? Options(string[] args)
    {
        if (args.Length % 2 != 0)
            return null;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                return null;
            options[args[i][2..]] = args[i + 1];
        }
        return options;
    }

    private static async Task<int> Fail(TextWriter error, string message)
    {
        await error.WriteLineAsync(message);
        return 2;
    }

    private static async Task<int> CheckTopology(string file, TextWriter output, TextWriter error)
    {
        if (!File.Exists(file))
        {
            await error.WriteLineAsync($"chargelink: {file} does not exist");
            return 2;
        }
        try
        {
            var topology = TopologyFile.Parse(await File.ReadAllTextAsync(file));
            foreach (var group in topology.Groups)
            {
                await output.WriteLineAsync($"{group.Id} ({group.Name}): {group.Terminals.Count} terminal(s), {group.Stations.Count} station(s), " +
                    $"{group.Stations.Sum(s => s.Connectors.Count)} connector(s), {group.Tariff.PricePerKwhMinor} {group.Tariff.Currency} minor units per kWh");
            }
            await output.WriteLineAsync($"{file}: valid");
            return 0;
        }
        catch (TopologyException e)
        {
            await error.WriteLineAsync($"{file}: invalid: {e.Message}");
            return 1;
        }
    }
}
