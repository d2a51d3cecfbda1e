using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Orchestrator's write API -> the station's group: an operator's act on a station or one of its connectors
/// (<paramref name="Act"/>: unlock-connector, ...), named by the operator's <paramref name="ActId"/> so that a double
/// submission does one thing.
/// </summary>
[MessageUrn("chargelink:operator-station-act-requested:v1")]
[EntityName("chargelink.operator-station-act-requested.v1")]
public sealed record OperatorStationActRequested(
    string GroupId,
    string ActId,
    string Act,
    string Operator,
    string Reason,
    string ChargePointId,
    int? ConnectorId,
    DateTimeOffset ReceivedAt,
    string? PaymentId = null,
    int? TransactionId = null,
    string? Option = null
) : IGroupMessage;
