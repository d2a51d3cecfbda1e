using MassTransit;

namespace ChargeLink.Gateway.Commands;

/// <summary>
/// StopCharging for a station this instance holds becomes RemoteStopTransaction; the outcome goes back. Acted on once,
/// across instances and restarts, like StartCharging.
/// </summary>
public sealed class StopChargingConsumer(
    ConnectionRegistry connections,
    CommandLedger ledger,
    TimeProvider clock,
    ILogger<StopChargingConsumer> logger
) : IConsumer<StopCharging>
{
    public async Task Consume(ConsumeContext<StopCharging> context)
    {
        var command = context.Message;
        using var scope = logger.BeginScope(
            new Dictionary<string, object>
            {
                ["ChargePointId"] = command.ChargePointId,
                ["ConnectorId"] = command.ConnectorId,
            }
        );
        var messageId = context.MessageId ?? NewId.NextGuid();
        if (connections.Find(command.ChargePointId) is not { } session)
        {
            logger.LogWarning(
                "StopCharging for transaction {TransactionId}: station {ChargePointId} has just "
                    + "left this instance; left to the instance that holds it",
                command.TransactionId,
                command.ChargePointId
            );
            if (context.TryGetPayload<CommandClaim>(out var claim))
                claim.Release();
            return;
        }
        if (!await ledger.TryClaim(messageId, command.ChargePointId, null, context.CancellationToken))
        {
            logger.LogInformation(
                "StopCharging {MessageId} for transaction {TransactionId} seen before; dropped",
                messageId,
                command.TransactionId
            );
            return;
        }
        try
        {
            var (action, payload) = await session.Protocol.StopCall(command, context.CancellationToken);
            var answer = await session.Call(action, payload, context.CancellationToken);
            var outcome = CommandOutcomes.Of(answer);
            logger.LogInformation(
                "RemoteStopTransaction of transaction {TransactionId} on {ChargePointId}: {Outcome}",
                command.TransactionId,
                command.ChargePointId,
                outcome
            );
            await context.Publish(
                new RemoteStopCompleted(
                    command.GroupId,
                    command.ChargePointId,
                    command.TransactionId,
                    outcome,
                    clock.GetUtcNow()
                )
            );
        }
        catch
        {
            // A second RemoteStopTransaction is harmless (the station answers Rejected), a missing one is not.
            await ledger.Release(messageId, CancellationToken.None);
            throw;
        }
    }
}
