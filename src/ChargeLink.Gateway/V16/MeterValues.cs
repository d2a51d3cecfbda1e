using MassTransit;

namespace ChargeLink.Gateway.V16;

/// <summary>
/// A connector's energy register (<see cref="EnergyRegister"/>), passed on so that a session whose StopTransaction
/// never comes can be settled for what it is known to have delivered; the energy charged for comes from
/// StopTransaction.
/// </summary>
public sealed class MeterValues(IBus bus, TimeProvider clock, ILogger<MeterValues> logger) : IV16Action
{
    public string Action => "MeterValues";

    public async Task<JsonObject> Answer(StationCall request, CancellationToken cancellation)
    {
        var (station, call, payload) = request;
        var connectorId = payload.RequiredInt("connectorId", min: 0);
        var transactionId = payload.OptionalInt("transactionId");
        var samples = payload.RequiredObjects("meterValue", V16MeterValues.Check, nonEmpty: true);
        payload.End();
        logger.LogDebug("{Count} meter value(s) received", samples);
        var meterWh = EnergyRegister.Of(
            V16MeterValues.EnergyReadingsWh((JsonArray)call.Payload["meterValue"]!),
            out var implausible
        );
        if (implausible > 0)
            logger.LogWarning(
                "MeterValues on {ChargePointId}/{ConnectorId}: {Implausible} energy register "
                    + "reading(s) outside 0..{MaxRegisterWh} Wh ignored",
                station.ChargePointId,
                connectorId,
                implausible,
                ChargeLink.Domain.Groups.MeterBounds.MaxRegisterWh
            );
        if (connectorId > 0 && meterWh is not null)
            await bus.Publish(
                new MeterValuesReported(
                    station.Group.Id,
                    station.ChargePointId,
                    connectorId,
                    transactionId,
                    meterWh.Value,
                    clock.GetUtcNow()
                ),
                cancellation
            );
        return [];
    }
}
