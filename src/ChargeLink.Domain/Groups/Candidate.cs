namespace ChargeLink.Domain.Groups;

/// <summary>A connector that is occupied and waits for a payment.</summary>
public sealed record Candidate(ConnectorRef Connector, DateTimeOffset OccupiedAt);
