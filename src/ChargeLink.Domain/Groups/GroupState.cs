namespace ChargeLink.Domain.Groups;

/// <summary>
/// A station group's state: nothing but the fold of its events (<see cref="Evolve"/>). Candidates are kept in order of
/// occupancy and payments in order of arrival, so the first of each is the next match. Its size follows what is open,
/// not the group's age: connectors, waiting payments and sessions, and the settled payments of the last retention
/// period, which <see cref="PaymentsForgotten"/> removes with their tags and transactions (<see cref="Forgettable"/>
/// keeps them in the order they may be forgotten). Every lookup the decider makes by payment, tag or transaction is a
/// dictionary's. What each event changes is in GroupState.Transitions.cs. The two queues (and a payment's tags and
/// transactions) are arrays: they hold a few items, which a loop walks without the pooled enumerator of an
/// <c>ImmutableList</c> and a change copies in one allocation (the fold of 1,000,000 events 10 % faster).
/// </summary>
public sealed partial record GroupState(
    ImmutableArray<Candidate> Candidates,
    ImmutableArray<WaitingPayment> WaitingPayments,
    ImmutableDictionary<ConnectorRef, Session> Sessions,
    ImmutableDictionary<string, PaymentMemory> Payments,
    ImmutableSortedSet<(DateTimeOffset From, string PaymentId)> Forgettable,
    ImmutableDictionary<ConnectorRef, DateTimeOffset> LastStatusAt,
    ImmutableDictionary<TransactionRef, TransactionStopNoted> EarlyStops,
    ImmutableDictionary<string, string> CancelledIdTags,
    ImmutableDictionary<string, string> IssuedIdTags,
    ImmutableDictionary<TransactionRef, string> Transactions,
    ImmutableDictionary<ConnectorRef, ConnectorReport> Reports
)
{
    public static readonly GroupState Empty = new(
        [],
        [],
        ImmutableDictionary<ConnectorRef, Session>.Empty,
        ImmutableDictionary.Create<string, PaymentMemory>(StringComparer.Ordinal),
        ImmutableSortedSet.Create<(DateTimeOffset From, string PaymentId)>(
            Comparer<(DateTimeOffset From, string PaymentId)>.Create(
                (a, b) => a.From != b.From ? a.From.CompareTo(b.From) : string.CompareOrdinal(a.PaymentId, b.PaymentId)
            )
        ),
        ImmutableDictionary<ConnectorRef, DateTimeOffset>.Empty,
        ImmutableDictionary<TransactionRef, TransactionStopNoted>.Empty,
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal),
        ImmutableDictionary<TransactionRef, string>.Empty,
        ImmutableDictionary<ConnectorRef, ConnectorReport>.Empty
    );

    /// <summary>Whether the group has seen this payment (authorized or cancelled) and not forgotten it.</summary>
    public bool Knows(string paymentId) => Payments.ContainsKey(paymentId);

    /// <summary>Whether the group has seen this payment settled (captured, voided or cancelled) and not forgotten
    /// it.</summary>
    public bool IsSettled(string paymentId) =>
        Payments.TryGetValue(paymentId, out var memory) && memory.SettledAt is not null;

    /// <summary>Whether a status report received at <paramref name="receivedAt"/> is older than one already
    /// applied.</summary>
    public bool IsStale(ConnectorRef connector, DateTimeOffset receivedAt) =>
        LastStatusAt.TryGetValue(connector, out var last) && receivedAt < last;

    public static GroupState Fold(IEnumerable<IGroupEvent> events) =>
        events.Aggregate(Empty, (state, e) => state.Evolve(e));

    public bool IsCandidate(ConnectorRef connector) => CandidateAt(connector) is not null;

    /// <summary>The connector's place among the candidates, if it has one.</summary>
    public Candidate? CandidateAt(ConnectorRef connector)
    {
        foreach (var candidate in Candidates)
        {
            if (candidate.Connector == connector)
                return candidate;
        }
        return null;
    }

    /// <summary>The connector's current status as the station last reported it, if it has reported since we last lost
    /// track.</summary>
    public ConnectorReport? ReportOf(ConnectorRef connector) => Reports.GetValueOrDefault(connector);

    // Lookups are loops rather than lambdas: they are asked on most events, by the decider and by every fold (replay's
    // included), and a lambda that captures the id, with LINQ's enumerator, was about 190 bytes each time (four of a
    // session's seven events: 1,064 -> 974 MiB allocated by the state's fold over 1,000,000 events).
    public Session? SessionOf(string paymentId)
    {
        foreach (var (_, session) in Sessions)
        {
            if (session.PaymentId == paymentId)
                return session;
        }
        return null;
    }

    public WaitingPayment? Waiting(string paymentId)
    {
        foreach (var payment in WaitingPayments)
        {
            if (payment.PaymentId == paymentId)
                return payment;
        }
        return null;
    }

    /// <summary>The waiting payment a lost start keeps <paramref name="connector"/> for (rule 15), if any.</summary>
    public WaitingPayment? PinnedAt(ConnectorRef connector)
    {
        foreach (var payment in WaitingPayments)
        {
            if (payment.PinnedTo == connector)
                return payment;
        }
        return null;
    }

    /// <summary>The earliest moment at which a <see cref="ClockTicked"/> would change something, if any.</summary>
    public DateTimeOffset? NextDeadline(GroupPolicy policy)
    {
        var deadlines = WaitingPayments
            .Select(p => (DateTimeOffset?)p.WaitsUntil(policy))
            .Concat(Sessions.Values.Select(s => (DateTimeOffset?)Deadline(s, policy)))
            .Where(d => d is not null)
            .ToList();
        return deadlines.Count > 0 ? deadlines.Min() : null;
    }

    /// <summary>
    /// When the retention rule next forgets something: a quarter of the retention after the oldest settled payment (or
    /// early stop) became forgettable, so that one <see cref="PaymentsForgotten"/> forgets that quarter's payments at
    /// once. It is no deadline of its own (<see cref="NextDeadline"/>): the group forgets with the next events it
    /// appends.
    /// </summary>
    public DateTimeOffset? NextForgetting(GroupPolicy policy)
    {
        var oldest = Forgettable.Count > 0 ? Forgettable.Min.From : (DateTimeOffset?)null;
        foreach (var stop in EarlyStops.Values)
            oldest = oldest is { } o && o <= stop.At ? o : stop.At;
        return oldest + policy.Retention + (policy.Retention / 4);
    }

    /// <summary>When a session in <paramref name="session"/>'s phase has waited too long (rules 8, 9 and 12).</summary>
    public static DateTimeOffset Deadline(Session session, GroupPolicy policy) =>
        session switch
        {
            { Phase: SessionPhase.Requested } => session.PhaseSince + policy.RemoteStartAnswerTimeout,
            { Phase: SessionPhase.Accepted } => session.PhaseSince + policy.TransactionStartTimeout,
            { OverdueSince: { } overdue } => overdue + policy.StopGrace,
            _ => session.PhaseSince + policy.MaxChargingDuration,
        };

    public GroupState Evolve(IGroupEvent @event) =>
        @event switch
        {
            ConnectorOccupied e => Occupied(e),
            ConnectorVacated e => Vacated(e),
            ConnectorStatusNoted e => this with
            {
                LastStatusAt = StatusSeen(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.At),
                Reports = Reported(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.Status, e.At),
            },
            TransactionStopNoted e => this with
            {
                EarlyStops = EarlyStops.SetItem(new TransactionRef(e.ChargePointId, e.TransactionId), e),
            },
            PaymentAuthorizationReceived e => Authorized(e),
            ChargingStartRequested e => StartRequested(e),
            RemoteStartAccepted e => WithSession(
                SessionFor(e.PaymentId) with
                {
                    Phase = SessionPhase.Accepted,
                    PhaseSince = e.At,
                }
            ),
            RemoteStartFailed e => StartFailed(e),
            RemoteStartConfirmedLate e => ConfirmedLate(e),
            RemoteStartLost e => StartLost(e),
            ChargingStarted e => Started(e),
            ChargingStopped e => EarlyStops.ContainsKey(new TransactionRef(e.ChargePointId, e.TransactionId))
                ? this with
                {
                    EarlyStops = EarlyStops.Remove(new TransactionRef(e.ChargePointId, e.TransactionId)),
                }
                : this,
            MeterReadingNoted e => MeterRead(e),
            ChargingOverdue e => WithSession(SessionFor(e.PaymentId) with { OverdueSince = e.At }),
            ChargingEndedWithoutStop => this,
            PaymentCancelled e => Settle(e.PaymentId, e.At) with
            {
                CancelledIdTags = CancelledIdTags.SetItems(
                    TagsOf(e.PaymentId).Select(tag => KeyValuePair.Create(tag, e.PaymentId))
                ),
            },
            ChargingStopRequested e => StopRequested(e),
            PaymentCaptureRequested e => Settle(e.PaymentId, e.At),
            PaymentVoidRequested e => Settle(e.PaymentId, e.At),
            PaymentsForgotten e => Forget(e),
            // Nothing of it is remembered: the payment adapter's ledger decides whether it is voided.
            PaymentAuthorizationExpired => this,
            // The record of who acted and why; what the act did is the events after it.
            OperatorActed e => ActNoted(e),
            OperatorActAnswered e => ActAnswered(e),
            ConnectorTakenOutOfService e => TakenOutOfService(e),
            ConnectorReturnedToService e => this with
            {
                OutOfService = OutOfService.Remove(new ConnectorRef(e.ChargePointId, e.ConnectorId)),
            },
            _ => throw new ArgumentOutOfRangeException(
                nameof(@event),
                @event.GetType().Name,
                "an event this state does not know"
            ),
        };
}
