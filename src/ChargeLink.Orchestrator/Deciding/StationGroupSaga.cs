using ChargeLink.Orchestrator.Delivering;
using MassTransit;

namespace ChargeLink.Orchestrator.Deciding;

/// <summary>
/// One instance per station group, keyed by <see cref="GroupCorrelation.IdOf"/>. It only loads, asks the
/// pure <see cref="GroupDecider"/>, records the resulting events and publishes their commands; the
/// repository appends the events, and the outbox releases the commands only after that append.
/// </summary>
public sealed class StationGroupSaga
    : IEventSourcedSaga,
        IHasDeadline,
        InitiatedByOrOrchestrates<ConnectorStatusChanged>,
        InitiatedByOrOrchestrates<PaymentAuthorized>,
        InitiatedByOrOrchestrates<PaymentCancellationRouted>,
        InitiatedByOrOrchestrates<RemoteStartCompleted>,
        InitiatedByOrOrchestrates<TransactionStarted>,
        InitiatedByOrOrchestrates<TransactionStopped>,
        InitiatedByOrOrchestrates<MeterValuesReported>,
        InitiatedByOrOrchestrates<StationBooted>,
        InitiatedByOrOrchestrates<GroupDeadlineDue>,
        InitiatedByOrOrchestrates<OperatorVoidRequested>,
        InitiatedByOrOrchestrates<OperatorStationActRequested>,
        InitiatedByOrOrchestrates<OperatorActCompleted>
{
    private readonly List<object> _uncommitted = [];

    public Guid CorrelationId { get; set; }

    /// <summary>The group's id as its messages name it (the stream is keyed by a Guid derived from it).</summary>
    public string GroupId { get; private set; } = "";

    public GroupState State { get; private set; } = GroupState.Empty;

    public DateTimeOffset? NextDeadline { get; private set; }

    public string DeadlineOwner => GroupId;

    public IReadOnlyList<object> UncommittedEvents => _uncommitted;

    public void ClearUncommittedEvents() => _uncommitted.Clear();

    public void Replay(IEnumerable<object> events) =>
        State = events.Cast<IGroupEvent>().Aggregate(State, (state, e) => state.Evolve(e));

    public object Snapshot() => State;

    public void Restore(object snapshot) => State = (GroupState)snapshot;

    /// <summary>Applies an event the decider returned and keeps it for the next append.</summary>
    public void Record(IGroupEvent e)
    {
        State = State.Evolve(e);
        _uncommitted.Add(e);
    }

    public string? StoredSnapshot() => GroupSnapshot.Of(State).ToJson();

    public bool RestoreStored(string stored)
    {
        if (GroupSnapshot.FromJson(stored) is not { } snapshot)
            return false;
        State = snapshot.ToState();
        return true;
    }

    // Every input goes the same way: made a fact (GroupFacts), decided, recorded, its commands dispatched.
    public Task Consume(ConsumeContext<ConnectorStatusChanged> context) => Decide(context, context.Message);

    public Task Consume(ConsumeContext<PaymentAuthorized> context) => Decide(context, context.Message);

    public Task Consume(ConsumeContext<PaymentCancellationRouted> context) => Decide(context, context.Message);

    public Task Consume(ConsumeContext<RemoteStartCompleted> context) => Decide(context, context.Message);

    public Task Consume(ConsumeContext<TransactionStarted> context) => Decide(context, context.Message);

    public Task Consume(ConsumeContext<TransactionStopped> context) => Decide(context, context.Message);

    public Task Consume(ConsumeContext<MeterValuesReported> context) => Decide(context, context.Message);

    public Task Consume(ConsumeContext<StationBooted> context) => Decide(context, context.Message);

    public Task Consume(ConsumeContext<GroupDeadlineDue> context) => Decide(context, context.Message);

    public Task Consume(ConsumeContext<OperatorVoidRequested> context) => Decide(context, context.Message);

    public Task Consume(ConsumeContext<OperatorStationActRequested> context) => Decide(context, context.Message);

    public Task Consume(ConsumeContext<OperatorActCompleted> context) => Decide(context, context.Message);

    private async Task Decide(ConsumeContext context, IGroupMessage message)
    {
        var groupId = message.GroupId;
        GroupId = groupId;
        var clock = context.GetServiceOrCreateInstance<TimeProvider>();
        var now = clock.GetUtcNow();
        var fact = GroupFacts.Of(message, now);
        var policy = context.GetServiceOrCreateInstance<GroupPolicies>().For(groupId);
        var logger = context.GetServiceOrCreateInstance<ILogger<StationGroupSaga>>();
        if (!policy.InTopology)
        {
            // A group with no history is not a removed one but one this instance's topology does not know yet (another
            // instance runs a newer file): the message is retried, not taken as the end of the group.
            if (ReferenceEquals(State, GroupState.Empty))
                throw new InvalidOperationException(
                    $"group \"{groupId}\" is not in this instance's topology and has no history here"
                );
            logger.LogWarning(
                "Group {GroupId} is not in the topology: {Fact} only ends what the group still "
                    + "holds (waiting payments voided, charging sessions settled by the rules)",
                groupId,
                fact.GetType().Name
            );
        }
        // The retention rule: a message about a payment the group may have forgotten changes nothing; it is told, not
        // dropped silently.
        if (GroupDecider.BeyondRetention(State, fact, now, policy) is { } beyond)
        {
            logger.LogWarning(
                "Group {GroupId}: {Fact} for payment {PaymentId} changes nothing: {Reason} (retention rule)",
                groupId,
                fact.GetType().Name,
                PaymentOf(fact),
                beyond
            );
            OrchestratorMetrics.FactsBeyondRetention.WithLabels(fact.GetType().Name).Inc();
        }
        var events = GroupDecider.Decide(State, fact, now, policy);
        foreach (var e in events)
        {
            Record(e);
            GroupEventLog.Write(logger, groupId, e);
            if (GroupCommands.For(groupId, e, State) is { } command)
                await command.Dispatch(context, context);
        }
        NextDeadline = State.NextDeadline(policy);
    }

    private static string? PaymentOf(GroupFact fact) =>
        fact switch
        {
            PaymentAuthorizationReported f => f.PaymentId,
            PaymentCancellationReported f => f.PaymentId,
            _ => null,
        };
}
