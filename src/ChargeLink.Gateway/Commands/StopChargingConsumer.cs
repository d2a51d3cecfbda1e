using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Gateway.Ocpp;
using ChargeLink.Gateway.Stations;
using ChargeLink.ServiceDefaults;
using MassTransit;

namespace ChargeLink.Gateway.Commands;

/// <summary>StopCharging for a station this instance holds becomes RemoteStopTransaction; the outcome goes back.</summary>
public sealed class StopChargingConsumer(SessionRegistry sessions, RecentMessageIds recent, TimeProvider clock, ILogger<StopChargingConsumer> logger) : IConsumer<StopCharging>
{
    public async Task Consume(ConsumeContext<StopCharging> context)
    {
        var command = context.Message;
        if (context.MessageId is { } messageId && !recent.TryClaim(messageId))
            return;
        if (sessions.Find(command.ChargePointId) is not { } session)
        {
            logger.LogWarning("StopCharging for transaction {TransactionId}: station {ChargePointId} has just left this instance; left to the instance that holds it", command.TransactionId, command.ChargePointId);
            return;
        }
        try
        {
            var answer = await session.Call("RemoteStopTransaction", new JsonObject { ["transactionId"] = command.TransactionId }, context.CancellationToken);
            var outcome = answer switch
            {
                OcppCallResult { Payload: var payload } when payload["status"]?.ToString() == "Accepted" => "Accepted",
                OcppCallResult => "Rejected",
                OcppCallError => "Failed",
                _ => "TimedOut",
            };
            logger.LogInformation("RemoteStopTransaction of transaction {TransactionId} on {ChargePointId}: {Outcome}", command.TransactionId, command.ChargePointId, outcome);
            await context.Publish(new RemoteStopCompleted(command.GroupId, command.ChargePointId, command.TransactionId, outcome, clock.GetUtcNow()));
        }
        catch
        {
            if (context.MessageId is { } failed)
                recent.Release(failed);
            throw;
        }
    }
}
