using System.Globalization;
using MassTransit;

namespace ChargeLink.Orchestrator.Delivering;

/// <summary>
/// A command to send, with the deterministic message id that lets its receiver drop repeats. A command for a
/// station carries its chargePointId, the routing key to the gateway instance that holds it; others are published.
/// </summary>
public sealed record GroupCommand(object Message, Guid MessageId, string? Station = null)
{
    /// <summary>Sends or publishes the command through whatever the caller has (a consume context, the bus).</summary>
    public async Task Dispatch(
        ISendEndpointProvider sender,
        IPublishEndpoint publisher,
        CancellationToken cancellation = default
    )
    {
        if (Station is null)
        {
            await publisher.Publish(Message, Message.GetType(), send => send.MessageId = MessageId, cancellation);
            return;
        }
        var endpoint = await sender.GetSendEndpoint(StationCommandExchange.Address);
        await endpoint.Send(
            Message,
            Message.GetType(),
            send =>
            {
                send.MessageId = MessageId;
                send.SetRoutingKey(Station);
            },
            cancellation
        );
    }
}

/// <summary>
/// The commands some of the group's events call for. The same function serves the dispatch right after the
/// append and the relay that re-reads the stream after a crash, so both produce the same message and id.
/// </summary>
public static class GroupCommands
{
    /// <summary>
    /// The event types <see cref="For"/> makes a command of: the relay reads only these from the stream (the
    /// catalogue's tests check that the two agree).
    /// </summary>
    public static readonly Type[] CommandingEvents =
    [
        typeof(ChargingStartRequested),
        typeof(ChargingStopRequested),
        typeof(ChargingOverdue),
        typeof(PaymentCaptureRequested),
        typeof(PaymentVoidRequested),
        typeof(PaymentAuthorizationExpired),
        typeof(OperatorActed),
    ];

    /// <param name="after">The group's state after <paramref name="e"/>, where the caller has it: it adds what the
    /// event
    /// does not say (a start's held amount). The command's id never depends on it.</param>
    public static GroupCommand? For(string groupId, IGroupEvent e, GroupState? after = null) =>
        e switch
        {
            ChargingStartRequested start => new GroupCommand(
                new StartCharging(
                    groupId,
                    start.ChargePointId,
                    start.ConnectorId,
                    start.PaymentId,
                    start.IdTag,
                    start.RequestedAt,
                    after?.SessionOf(start.PaymentId)?.Payment.Amount.Minor
                ),
                // The same payment may be started on the same connector again after a lost start (rule 15): a new
                // request, a new id.
                GroupCorrelation.CommandId(
                    groupId,
                    "start",
                    start.PaymentId,
                    start.ChargePointId,
                    start.ConnectorId.ToString(CultureInfo.InvariantCulture),
                    start.RequestedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)
                ),
                start.ChargePointId
            ),
            ChargingStopRequested stop => new GroupCommand(
                new StopCharging(groupId, stop.ChargePointId, stop.ConnectorId, stop.TransactionId, stop.PaymentId),
                GroupCorrelation.CommandId(
                    groupId,
                    "stop",
                    stop.ChargePointId,
                    stop.TransactionId.ToString(CultureInfo.InvariantCulture)
                ),
                stop.ChargePointId
            ),
            // Rule 12: the same RemoteStopTransaction, for a session that charged past the bound.
            ChargingOverdue overdue => new GroupCommand(
                new StopCharging(
                    groupId,
                    overdue.ChargePointId,
                    overdue.ConnectorId,
                    overdue.TransactionId,
                    overdue.PaymentId
                ),
                GroupCorrelation.CommandId(
                    groupId,
                    "stop",
                    overdue.ChargePointId,
                    overdue.TransactionId.ToString(CultureInfo.InvariantCulture)
                ),
                overdue.ChargePointId
            ),
            PaymentCaptureRequested capture => new GroupCommand(
                new CapturePayment(
                    groupId,
                    capture.PaymentId,
                    capture.AmountMinor,
                    capture.Currency,
                    capture.EnergyWh,
                    capture.SessionId
                ),
                GroupCorrelation.CommandId(groupId, "settle", capture.PaymentId)
            ),
            PaymentVoidRequested voided => new GroupCommand(
                new VoidPayment(groupId, voided.PaymentId, voided.Reason),
                GroupCorrelation.CommandId(groupId, "settle", voided.PaymentId)
            ),
            // Its own command id: the payment's settle id may already be taken by the instruction it had.
            PaymentAuthorizationExpired expired => new GroupCommand(
                new VoidPayment(groupId, expired.PaymentId, VoidReason.AuthorizationExpired, OnlyIfUnsettled: true),
                GroupCorrelation.CommandId(groupId, "expired", expired.PaymentId)
            ),
            // An operator's act on a station: one command per act, whoever submitted it how often.
            OperatorActed { ChargePointId: { } station } act when ActCommand(groupId, station, act) is { } command =>
                new GroupCommand(command, GroupCorrelation.CommandId(groupId, "act", act.ActId), station),
            // Named one by one, so that a new event has to say whether it sends anything.
            ConnectorOccupied
            or ConnectorVacated
            or ConnectorStatusNoted
            or PaymentAuthorizationReceived
            or PaymentCancelled
            or RemoteStartAccepted
            or RemoteStartFailed
            or RemoteStartConfirmedLate
            or RemoteStartLost
            or ChargingStarted
            or ChargingStopped
            or MeterReadingNoted
            or ChargingEndedWithoutStop
            or TransactionStopNoted
            or PaymentsForgotten
            or OperatorActed
            or OperatorActAnswered
            or ConnectorTakenOutOfService
            or ConnectorReturnedToService => null,
            _ => throw new ArgumentOutOfRangeException(
                nameof(e),
                e.GetType().Name,
                "an event GroupCommands does not know"
            ),
        };

    // The command an operator's act sends: none for a void (the void is its own event) or a moot stop.
    private static IStationCommand? ActCommand(string groupId, string station, OperatorActed act) =>
        (act.Act, act.ConnectorId) switch
        {
            (OperatorActs.UnlockConnector, { } connector) => new UnlockConnector(
                groupId,
                station,
                connector,
                act.ActId
            ),
            (OperatorActs.TriggerStatus, { } connector) => new TriggerStatus(groupId, station, connector, act.ActId),
            (OperatorActs.TakeOutOfService or OperatorActs.ReturnToService, { } connector) => new ChangeAvailability(
                groupId,
                station,
                connector,
                act.Act == OperatorActs.ReturnToService,
                act.ActId
            ),
            (OperatorActs.ResetStation, _) => new ResetStation(groupId, station, act.Option == "hard", act.ActId),
            (OperatorActs.StopSession, { } connector)
                when act is { TransactionId: { } transaction, PaymentId: { } payment, Option: null } =>
                new StopCharging(groupId, station, connector, transaction, payment, act.ActId),
            _ => null,
        };
}
