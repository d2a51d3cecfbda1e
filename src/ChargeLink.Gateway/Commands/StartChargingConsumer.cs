using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Gateway.Ocpp;
using ChargeLink.Gateway.Stations;
using MassTransit;

namespace ChargeLink.Gateway.Commands;

/// <summary>StartCharging from the orchestrator becomes RemoteStartTransaction to the station's socket.</summary>
public sealed class StartChargingConsumer(SessionRegistry sessions, ILogger<StartChargingConsumer> logger) : IConsumer<StartCharging>
{
    public async Task Consume(ConsumeContext<StartCharging> context)
    {
        var command = context.Message;
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["ChargePointId"] = command.ChargePointId,
            ["ConnectorId"] = command.ConnectorId,
            ["GroupId"] = command.GroupId,
            ["PaymentId"] = command.PaymentId,
        });
        if (sessions.Find(command.ChargePointId) is not { } session)
        {
            logger.LogWarning("StartCharging for {ChargePointId}/{ConnectorId}: the station is not connected here", command.ChargePointId, command.ConnectorId);
            return;
        }

        var answer = await session.Call(
            "RemoteStartTransaction",
            new JsonObject { ["connectorId"] = command.ConnectorId, ["idTag"] = command.IdTag },
            context.CancellationToken);
        var outcome = answer switch
        {
            OcppCallResult result => result.Payload["status"]?.ToString() ?? "no status",
            OcppCallError error => $"CALLERROR {error.ErrorCode}",
            _ => "no answer in time",
        };
        logger.LogInformation("RemoteStartTransaction on {ChargePointId}/{ConnectorId} for payment {PaymentId}: {Outcome}", command.ChargePointId, command.ConnectorId, command.PaymentId, outcome);
    }
}
