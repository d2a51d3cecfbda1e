using MassTransit;

namespace ChargeLink.Gateway.Commands;

/// <summary>
/// StartCharging for a station this instance holds (routed here by <see cref="StationRouting"/>) becomes
/// RemoteStartTransaction on its socket, and the outcome (Accepted, Rejected, TimedOut, Failed) goes back. Each
/// command is acted on once, across instances and restarts (<see cref="CommandLedger"/>).
/// </summary>
public sealed class StartChargingConsumer(
    ConnectionRegistry connections,
    CommandLedger ledger,
    ChargeLinkSettings settings,
    TimeProvider clock,
    ILogger<StartChargingConsumer> logger
) : IConsumer<StartCharging>
{
    public async Task Consume(ConsumeContext<StartCharging> context)
    {
        var command = context.Message;
        using var scope = logger.BeginScope(
            new Dictionary<string, object>
            {
                ["ChargePointId"] = command.ChargePointId,
                ["ConnectorId"] = command.ConnectorId,
            }
        );
        // A repeat this process saw is dropped before it gets here (DropRepeatedCommands); across processes, the ledger
        // decides.
        var messageId = context.MessageId ?? NewId.NextGuid();
        var sent = false;
        try
        {
            CommandOutcome outcome;
            if (clock.GetUtcNow() - command.RequestedAt > settings.RemoteStartAnswerTimeout)
            {
                // The group has given up on this start by now (or soon will); starting the station would give energy
                // away.
                logger.LogWarning(
                    "StartCharging for payment {PaymentId} requested at {RequestedAt} is older than "
                        + "the remote-start bound; not sent",
                    command.PaymentId,
                    command.RequestedAt
                );
                outcome = CommandOutcome.TimedOut;
            }
            else if (connections.Find(command.ChargePointId) is not { } session)
            {
                // Our binding outlived the station by a moment (it is leaving, or moved to another instance, which is
                // bound too and holds the socket). That instance answers; one bound nowhere is answered Offline.
                logger.LogWarning(
                    "StartCharging for payment {PaymentId}: station {ChargePointId} has just left "
                        + "this instance; left to the instance that holds it",
                    command.PaymentId,
                    command.ChargePointId
                );
                if (context.TryGetPayload<CommandClaim>(out var claim))
                    claim.Release();
                return;
            }
            else if (!await ledger.TryClaim(messageId, command.ChargePointId, command.IdTag, context.CancellationToken))
            {
                logger.LogInformation(
                    "StartCharging {MessageId} for payment {PaymentId} seen before; dropped",
                    messageId,
                    command.PaymentId
                );
                return;
            }
            else
            {
                sent = true;
                var (action, payload) = session.Protocol.StartCall(command);
                session.IssueIdTag(command.IdTag, command.HeldAmountMinor);
                var answer = await session.Call(action, payload, context.CancellationToken);
                outcome = CommandOutcomes.Of(answer);
            }
            logger.LogInformation(
                "RemoteStartTransaction on {ChargePointId}/{ConnectorId} for payment {PaymentId}: {Outcome}",
                command.ChargePointId,
                command.ConnectorId,
                command.PaymentId,
                outcome
            );
            await context.Publish(
                new RemoteStartCompleted(
                    command.GroupId,
                    command.ChargePointId,
                    command.ConnectorId,
                    command.PaymentId,
                    outcome,
                    clock.GetUtcNow()
                )
            );
        }
        catch
        {
            // Not sent: the retry may act on it. Sent: never again; the group's answer timeout covers a lost outcome.
            if (!sent)
                await ledger.Release(messageId, CancellationToken.None);
            throw;
        }
    }
}
