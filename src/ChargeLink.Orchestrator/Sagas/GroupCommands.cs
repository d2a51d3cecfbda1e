using System.Globalization;
using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;

namespace ChargeLink.Orchestrator.Sagas;

/// <summary>A command to send, with the deterministic message id that lets its receiver drop repeats.</summary>
public sealed record GroupCommand(object Message, Guid MessageId);

/// <summary>
/// The commands some of the group's events call for. The same function serves the dispatch right after the
/// append and the relay that re-reads the stream after a crash, so both produce the same message and id.
/// </summary>
public static class GroupCommands
{
    public static GroupCommand? For(string groupId, IGroupEvent e) => e switch
    {
        ChargingStartRequested start => new GroupCommand(
            new StartCharging(groupId, start.ChargePointId, start.ConnectorId, start.PaymentId, start.IdTag, start.RequestedAt),
            GroupCorrelation.CommandId(groupId, "start", start.PaymentId, start.ChargePointId, start.ConnectorId.ToString(CultureInfo.InvariantCulture))),
        PaymentCaptureRequested capture => new GroupCommand(
            new CapturePayment(groupId, capture.PaymentId, capture.AmountMinor, capture.Currency, capture.EnergyWh, capture.SessionId),
            GroupCorrelation.CommandId(groupId, "settle", capture.PaymentId)),
        PaymentVoidRequested voided => new GroupCommand(
            new VoidPayment(groupId, voided.PaymentId, voided.Reason),
            GroupCorrelation.CommandId(groupId, "settle", voided.PaymentId)),
        _ => null,
    };
}
