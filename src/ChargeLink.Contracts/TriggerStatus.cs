using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Orchestrator -> gateway holding the station: an operator's act, ask for a fresh StatusNotification of this
/// connector (TriggerMessage; an EVSE in 2.x). The status itself arrives as any other.
/// </summary>
[MessageUrn("chargelink:trigger-status:v1")]
[EntityName("chargelink.trigger-status.v1")]
public sealed record TriggerStatus(string GroupId, string ChargePointId, int ConnectorId, string ActId)
    : IOperatorActCommand;
