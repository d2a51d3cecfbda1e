using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;
using ChargeLink.Orchestrator.EventStore;
using MassTransit;

namespace ChargeLink.Orchestrator.Sagas;

/// <summary>
/// One instance per station group, keyed by <see cref="GroupCorrelation.IdOf"/>. It only loads, asks the
/// pure <see cref="GroupDecider"/>, records the resulting events and publishes their commands; the
/// repository appends the events, and the outbox releases the commands only after that append.
/// </summary>
public sealed class StationGroupSaga :
    IEventSourcedSaga,
    InitiatedByOrOrchestrates<ConnectorStatusChanged>,
    InitiatedByOrOrchestrates<PaymentAuthorized>
{
    private readonly List<object> _uncommitted = [];

    public Guid CorrelationId { get; set; }

    public GroupState State { get; private set; } = GroupState.Empty;

    public IReadOnlyList<object> UncommittedEvents => _uncommitted;

    public void ClearUncommittedEvents() => _uncommitted.Clear();

    public void Replay(IEnumerable<object> events) => State = GroupState.Fold(events.Cast<IGroupEvent>());

    public Task Consume(ConsumeContext<ConnectorStatusChanged> context)
    {
        var m = context.Message;
        var fact = new ConnectorStatusReported(
            new ConnectorRef(m.ChargePointId, m.ConnectorId),
            Enum.Parse<ConnectorStatus>(m.Status),
            m.StationTimestamp,
            m.ReceivedAt);
        return Decide(context, m.GroupId, fact);
    }

    public Task Consume(ConsumeContext<PaymentAuthorized> context)
    {
        var m = context.Message;
        var fact = new PaymentAuthorizationArrived(m.PaymentId, m.TerminalId, new Money(m.AmountMinor, m.Currency), m.AuthorizedAt, m.ReceivedAt);
        return Decide(context, m.GroupId, fact);
    }

    private async Task Decide(ConsumeContext context, string groupId, GroupFact fact)
    {
        var clock = context.GetServiceOrCreateInstance<TimeProvider>();
        var logger = context.GetServiceOrCreateInstance<ILogger<StationGroupSaga>>();
        var events = GroupDecider.Decide(State, fact, clock.GetUtcNow());
        foreach (var e in events)
        {
            State = State.Evolve(e);
            _uncommitted.Add(e);
            GroupEventLog.Write(logger, groupId, e);
            await GroupCommands.Publish(context, groupId, e);
        }
    }
}
