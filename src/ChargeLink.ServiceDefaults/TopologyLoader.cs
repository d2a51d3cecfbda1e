using ChargeLink.Domain.Topology;

namespace ChargeLink.ServiceDefaults;

public static class TopologyLoader
{
    /// <summary>Reads and validates the topology file; a bad file stops the start with the entry at fault.</summary>
    public static SiteTopology Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new TopologyException($"topology file {fullPath} (CHARGELINK_TOPOLOGY) does not exist");
        try
        {
            return TopologyFile.Parse(File.ReadAllText(fullPath));
        }
        catch (TopologyException e)
        {
            throw new TopologyException($"{fullPath}: {e.Message}");
        }
    }
}
