using MassTransit;

namespace ChargeLink.Gateway.Commands;

/// <summary>
/// Commands for stations that no gateway instance holds land here (the alternate exchange) and are answered
/// "Offline" at once, so the group moves on without waiting for a timeout.
/// </summary>
public sealed class OfflineStationConsumer<TCommand>(
    IStationOperation<TCommand> operation,
    TimeProvider clock,
    ILogger<OfflineStationConsumer<TCommand>> logger
) : IConsumer<TCommand>
    where TCommand : class, IStationCommand
{
    public async Task Consume(ConsumeContext<TCommand> context)
    {
        var command = context.Message;
        logger.LogWarning(
            "{CommandType} for {Subject}: station {ChargePointId} is connected to no gateway; answered Offline",
            typeof(TCommand).Name,
            operation.Subject(command),
            command.ChargePointId
        );
        await context.Publish(operation.Completed(command, CommandOutcome.Offline, null, clock.GetUtcNow()));
    }
}
