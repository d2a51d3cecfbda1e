using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Orchestrator -> gateway holding the station: an operator's act, release the cable locked in this connector
/// (UnlockConnector; an EVSE in 2.x). Its MessageId is derived from <paramref name="ActId"/>, so a repeat is dropped.
/// </summary>
[MessageUrn("chargelink:unlock-connector:v1")]
[EntityName("chargelink.unlock-connector.v1")]
public sealed record UnlockConnector(string GroupId, string ChargePointId, int ConnectorId, string ActId)
    : IOperatorActCommand;
