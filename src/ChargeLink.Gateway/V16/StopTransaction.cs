using MassTransit;

namespace ChargeLink.Gateway.V16;

/// <summary>A transaction ends: its meterStop is the session's last reading (the decider takes the energy from
/// it).</summary>
public sealed class StopTransaction(IBus bus, TimeProvider clock, ILogger<StopTransaction> logger) : IV16Action
{
    public string Action => "StopTransaction";

    public async Task<JsonObject> Answer(StationCall request, CancellationToken cancellation)
    {
        var (station, _, payload) = request;
        var transactionId = payload.RequiredInt("transactionId");
        var meterStop = payload.RequiredInt("meterStop", min: 0);
        var timestamp = payload.RequiredDateTime("timestamp");
        payload.OptionalString("idTag", ChargeLink.Domain.Groups.IdTag.MaxLength);
        payload.Checked("reason");
        payload.OptionalObjects("transactionData", V16MeterValues.Check);
        payload.End();
        await bus.Publish(
            new TransactionStopped(
                station.Group.Id,
                station.ChargePointId,
                transactionId,
                meterStop,
                timestamp,
                clock.GetUtcNow()
            ),
            cancellation
        );
        logger.LogInformation(
            "Transaction {TransactionId} on {ChargePointId} stopped at meter {MeterStop} Wh",
            transactionId,
            station.ChargePointId,
            meterStop
        );
        return [];
    }
}
