using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Orchestrator -> gateway holding the station: an operator's act, take a connector out of service
/// (<paramref name="Operative"/> false: ChangeAvailability Inoperative) or return it (Operative; an EVSE in 2.x). The
/// group stops or resumes choosing the connector at the act, whatever the station answers.
/// </summary>
[MessageUrn("chargelink:change-availability:v1")]
[EntityName("chargelink.change-availability.v1")]
public sealed record ChangeAvailability(
    string GroupId,
    string ChargePointId,
    int ConnectorId,
    bool Operative,
    string ActId
) : IOperatorActCommand;
