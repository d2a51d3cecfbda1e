using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Gateway -> orchestrator: a station's energy register on one connector (Energy.Active.Import.Register, in Wh), from
/// MeterValues; <paramref name="TransactionId"/> when the station named the transaction.
/// </summary>
[MessageUrn("chargelink:meter-values-reported:v1")]
[EntityName("chargelink.meter-values-reported.v1")]
public sealed record MeterValuesReported(
    string GroupId,
    string ChargePointId,
    int ConnectorId,
    int? TransactionId,
    long MeterWh,
    DateTimeOffset ReceivedAt
) : IGroupMessage;
