using MassTransit;

namespace ChargeLink.Gateway.Commands;

/// <summary>
/// Every station command for a station this instance holds (routed here by <see cref="StationRouting"/>) takes this
/// path: acted on once across instances and restarts (<see cref="CommandLedger"/>), sent as the station's version
/// writes it, and its outcome (Accepted, Rejected, TimedOut, Failed) told to the group as its operation says
/// (<see cref="IStationOperation{T}"/>).
/// </summary>
public sealed class StationCommandConsumer<TCommand>(
    IStationOperation<TCommand> operation,
    ConnectionRegistry connections,
    CommandLedger ledger,
    TimeProvider clock,
    ILogger<StationCommandConsumer<TCommand>> logger
) : IConsumer<TCommand>
    where TCommand : class, IStationCommand
{
    private static readonly string Name = typeof(TCommand).Name;

    public async Task Consume(ConsumeContext<TCommand> context)
    {
        var command = context.Message;
        var ids = new Dictionary<string, object>
        {
            ["GroupId"] = command.GroupId,
            ["ChargePointId"] = command.ChargePointId,
            ["CommandType"] = Name,
        };
        if (command is IGroupCommand { PaymentId: var paymentId })
            ids["PaymentId"] = paymentId;
        using var scope = logger.BeginScope(ids);
        // A repeat this process saw is dropped before it gets here (DropRepeatedCommands); across processes, the ledger
        // decides.
        var messageId = context.MessageId ?? NewId.NextGuid();
        if (operation.TooLate(command, clock.GetUtcNow()) is { } late)
        {
            logger.LogWarning(
                "{CommandType} for {Subject} came too late to act on; not sent, answered {Outcome}",
                Name,
                operation.Subject(command),
                late
            );
            await context.Publish(operation.Completed(command, late, null, clock.GetUtcNow()));
            return;
        }
        if (connections.Find(command.ChargePointId) is not { } station)
        {
            // Our binding outlived the station by a moment (it is leaving, or moved to another instance, which is bound
            // too and holds the socket). That instance answers; one bound nowhere is answered Offline.
            logger.LogWarning(
                "{CommandType} for {Subject}: station {ChargePointId} has just left this instance; left to the "
                    + "instance that holds it",
                Name,
                operation.Subject(command),
                command.ChargePointId
            );
            if (context.TryGetPayload<CommandClaim>(out var claim))
                claim.Release();
            return;
        }
        if (
            !await ledger.TryClaim(
                messageId,
                command.ChargePointId,
                operation.ClaimedIdTag(command),
                context.CancellationToken
            )
        )
        {
            logger.LogInformation(
                "{CommandType} {MessageId} for {Subject} seen before; dropped",
                Name,
                messageId,
                operation.Subject(command)
            );
            return;
        }
        var sent = false;
        try
        {
            var (action, payload) = await station.Protocol.CallFor(command, context.CancellationToken);
            operation.Sending(station, command);
            sent = true;
            var answer = await station.Call(action, payload, context.CancellationToken);
            var outcome = CommandOutcomes.Of(answer);
            logger.LogInformation(
                "{Action} on {ChargePointId} for {Subject}: {Outcome}",
                action,
                command.ChargePointId,
                operation.Subject(command),
                outcome
            );
            await context.Publish(
                operation.Completed(command, outcome, CommandOutcomes.StatusOf(answer), clock.GetUtcNow())
            );
        }
        catch
        {
            // Not sent: the retry may act on it. Sent: only where a second CALL does no harm.
            if (!sent || operation.MayResendAfterFailure)
                await ledger.Release(messageId, CancellationToken.None);
            throw;
        }
    }
}
