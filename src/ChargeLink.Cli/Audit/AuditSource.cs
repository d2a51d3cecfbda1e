using System.CommandLine;
using ChargeLink.Contracts;
using ChargeLink.Domain.Topology;
using ChargeLink.EventLog;

namespace ChargeLink.Cli.Audit;

/// <summary>The options every audit command shares: where the event log is, and the topology that names its streams.</summary>
public sealed class AuditSource
{
    public Option<string?> Postgres { get; } = CliOptions.Postgres();
    public Option<string> Schema { get; } = CliOptions.Schema();
    public Option<FileInfo> Topology { get; } = CliOptions.Topology();

    public void AddTo(Command command)
    {
        command.Add(Postgres);
        command.Add(Schema);
        command.Add(Topology);
    }

    public EventLogReader Reader(ParseResult result) => new(CliOptions.PostgresOf(result, Postgres), result.GetValue(Schema)!);

    public StoredReadModels ReadModels(ParseResult result) => new(CliOptions.PostgresOf(result, Postgres), result.GetValue(Schema)!);

    /// <summary>The topology file, when there is a valid one to read: it names streams and gives tariffs.</summary>
    public SiteTopology? SiteTopology(ParseResult result)
    {
        var file = result.GetValue(Topology);
        if (file is null || !file.Exists)
            return null;
        try
        {
            return TopologyFile.Parse(File.ReadAllText(file.FullName));
        }
        catch (TopologyException)
        {
            return null;
        }
    }

    /// <summary>Stream id -> group id, for the groups of the topology file.</summary>
    public Dictionary<Guid, string> GroupNames(ParseResult result) =>
        SiteTopology(result)?.Groups.ToDictionary(g => GroupCorrelation.IdOf(g.Id), g => g.Id) ?? [];
}
