using MassTransit;

namespace ChargeLink.Gateway.Commands;

/// <summary>
/// Commands for stations that no gateway instance holds land here (the alternate exchange) and are answered
/// "Offline" at once, so the group moves on without waiting for a timeout.
/// </summary>
public sealed class OfflineStationConsumer(TimeProvider clock, ILogger<OfflineStationConsumer> logger)
    : IConsumer<StartCharging>,
        IConsumer<StopCharging>
{
    public async Task Consume(ConsumeContext<StartCharging> context)
    {
        var command = context.Message;
        logger.LogWarning(
            "StartCharging for payment {PaymentId}: station {ChargePointId} is connected to "
                + "no gateway; answered Offline",
            command.PaymentId,
            command.ChargePointId
        );
        await context.Publish(
            new RemoteStartCompleted(
                command.GroupId,
                command.ChargePointId,
                command.ConnectorId,
                command.PaymentId,
                CommandOutcome.Offline,
                clock.GetUtcNow()
            )
        );
    }

    public async Task Consume(ConsumeContext<StopCharging> context)
    {
        var command = context.Message;
        logger.LogWarning(
            "StopCharging for transaction {TransactionId}: station {ChargePointId} is "
                + "connected to no gateway; answered Offline",
            command.TransactionId,
            command.ChargePointId
        );
        await context.Publish(
            new RemoteStopCompleted(
                command.GroupId,
                command.ChargePointId,
                command.TransactionId,
                CommandOutcome.Offline,
                clock.GetUtcNow()
            )
        );
    }
}
