using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;
using MassTransit;

namespace ChargeLink.Orchestrator.Sagas;

/// <summary>The commands some of the group's events call for, each with a deterministic message id.</summary>
public static class GroupCommands
{
    public static Task Publish(ConsumeContext context, string groupId, IGroupEvent e) => e switch
    {
        ChargingStartRequested start => context.Publish(
            new StartCharging(groupId, start.ChargePointId, start.ConnectorId, start.PaymentId, start.IdTag, start.RequestedAt),
            send => send.MessageId = GroupCorrelation.CommandId(groupId, "start", start.PaymentId, start.ChargePointId, start.ConnectorId.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        _ => Task.CompletedTask,
    };
}
