namespace ChargeLink.Domain.Topology;

/// <summary>A topology file that must not be used; the message names the offending entry.</summary>
public sealed class TopologyException(string message) : Exception(message);
