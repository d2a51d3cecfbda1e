using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Orchestrator -> gateway holding the station: an operator's act, reset the station (Reset: 1.6 Soft or Hard, 2.x
/// OnIdle or Immediate for <paramref name="Hard"/> false or true). What follows is a reboot as any other (rule 15).
/// </summary>
[MessageUrn("chargelink:reset-station:v1")]
[EntityName("chargelink.reset-station.v1")]
public sealed record ResetStation(string GroupId, string ChargePointId, bool Hard, string ActId) : IOperatorActCommand;
