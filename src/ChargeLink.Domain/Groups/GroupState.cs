using System.Collections.Immutable;

namespace ChargeLink.Domain.Groups;

/// <summary>A connector that is occupied and waits for a payment.</summary>
public sealed record Candidate(ConnectorRef Connector, DateTimeOffset OccupiedAt);

/// <summary>
/// What the station last reported for a connector, since when (a repeat does not move it), and whether a session has
/// charged since: a Preparing that a session already used does not make the connector a candidate again (rule 16).
/// </summary>
public sealed record ConnectorReport(ConnectorStatus Status, DateTimeOffset Since, bool Charged)
{
    /// <summary>A Preparing no session has charged on: the connector is a candidate whenever it carries no session.</summary>
    public bool IsFreshPreparing => Status == ConnectorStatus.Preparing && !Charged;
}

/// <summary>An authorized payment that waits for a connector, with the connectors that already failed it.</summary>
/// <param name="PinnedTo">Rule 15: the connector whose start a reboot lost; the payment restarts there or nowhere.</param>
/// <param name="PinnedSince">When it was kept for that connector: its wait counts from then.</param>
/// <param name="PricePerKwhMinor">The tariff when the payment arrived (null in streams written before it was recorded).</param>
public sealed record WaitingPayment(string PaymentId, string TerminalId, Money Amount, DateTimeOffset ReceivedAt, ImmutableHashSet<ConnectorRef> Excluded, int FailedStarts,
    ConnectorRef? PinnedTo = null, DateTimeOffset? PinnedSince = null, long? PricePerKwhMinor = null)
{
    public bool MayUse(ConnectorRef connector) => PinnedTo is { } pinned ? pinned == connector && !Excluded.Contains(connector) : !Excluded.Contains(connector);

    /// <summary>Rules 5 and 15: when the payment has waited long enough to be voided.</summary>
    public DateTimeOffset WaitsUntil(GroupPolicy policy) => (PinnedSince ?? ReceivedAt) + policy.PaymentWait;

    /// <summary>Whether <paramref name="connector"/> was asked to start for this payment (its start failed or was lost there).</summary>
    public bool WasAsked(ConnectorRef connector) => Excluded.Contains(connector) || PinnedTo == connector;
}

public enum SessionPhase
{
    /// <summary>RemoteStartTransaction sent, no answer yet.</summary>
    Requested,

    /// <summary>The station accepted; StartTransaction expected.</summary>
    Accepted,

    /// <summary>StartTransaction arrived with the payment's idTag.</summary>
    Charging,
}

/// <summary>A payment paired with a connector, from the start request until the session ends.</summary>
/// <param name="LastMeterWh">Rule 12: the last meter reading kept while charging, and when.</param>
/// <param name="OverdueSince">Rule 12: when the session was found overdue and the station asked to stop.</param>
public sealed record Session(WaitingPayment Payment, Candidate Candidate, string IdTag, SessionPhase Phase, DateTimeOffset PhaseSince, int? TransactionId, long? MeterStartWh,
    long? LastMeterWh = null, DateTimeOffset? LastMeterAt = null, DateTimeOffset? OverdueSince = null)
{
    public ConnectorRef Connector => Candidate.Connector;
    public string PaymentId => Payment.PaymentId;

    /// <summary>A charging session's id, as captures name it: station, connector and the station's transaction id.</summary>
    public static string IdOf(string chargePointId, int connectorId, int transactionId) => $"{chargePointId}-{connectorId}-{transactionId}";
}

/// <summary>
/// A station group's state: nothing but the fold of its events (<see cref="Evolve"/>).
/// Candidates are kept in order of occupancy and payments in order of arrival, so the first of each is the next match.
/// </summary>
public sealed record GroupState(
    ImmutableList<Candidate> Candidates,
    ImmutableList<WaitingPayment> WaitingPayments,
    ImmutableDictionary<ConnectorRef, Session> Sessions,
    ImmutableHashSet<string> KnownPayments,
    ImmutableHashSet<string> SettledPayments,
    ImmutableDictionary<ConnectorRef, DateTimeOffset> LastStatusAt,
    ImmutableDictionary<(string ChargePointId, int TransactionId), TransactionStopNoted> EarlyStops,
    ImmutableDictionary<string, string> CancelledIdTags,
    ImmutableDictionary<string, string> IssuedIdTags,
    ImmutableHashSet<(string ChargePointId, int TransactionId)> Transactions,
    ImmutableDictionary<ConnectorRef, ConnectorReport> Reports)
{
    public static readonly GroupState Empty = new(
        [], [], ImmutableDictionary<ConnectorRef, Session>.Empty,
        ImmutableHashSet.Create<string>(StringComparer.Ordinal), ImmutableHashSet.Create<string>(StringComparer.Ordinal),
        ImmutableDictionary<ConnectorRef, DateTimeOffset>.Empty, ImmutableDictionary<(string, int), TransactionStopNoted>.Empty,
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal), ImmutableDictionary.Create<string, string>(StringComparer.Ordinal),
        [], ImmutableDictionary<ConnectorRef, ConnectorReport>.Empty);

    /// <summary>Whether a status report received at <paramref name="receivedAt"/> is older than one already applied.</summary>
    public bool IsStale(ConnectorRef connector, DateTimeOffset receivedAt) =>
        LastStatusAt.TryGetValue(connector, out var last) && receivedAt < last;

    public static GroupState Fold(IEnumerable<IGroupEvent> events) => events.Aggregate(Empty, (state, e) => state.Evolve(e));

    public bool IsCandidate(ConnectorRef connector) => Candidates.Exists(c => c.Connector == connector);

    /// <summary>The connector's current status as the station last reported it, if it has reported since we last lost track.</summary>
    public ConnectorReport? ReportOf(ConnectorRef connector) => Reports.GetValueOrDefault(connector);

    public Session? SessionOf(string paymentId) => Sessions.Values.FirstOrDefault(s => s.PaymentId == paymentId);

    public WaitingPayment? Waiting(string paymentId) => WaitingPayments.Find(p => p.PaymentId == paymentId);

    /// <summary>The waiting payment a lost start keeps <paramref name="connector"/> for (rule 15), if any.</summary>
    public WaitingPayment? PinnedAt(ConnectorRef connector) => WaitingPayments.Find(p => p.PinnedTo == connector);

    /// <summary>The earliest moment at which a <see cref="ClockTicked"/> would change something, if any.</summary>
    public DateTimeOffset? NextDeadline(GroupPolicy policy)
    {
        var deadlines = WaitingPayments.Select(p => (DateTimeOffset?)p.WaitsUntil(policy))
            .Concat(Sessions.Values.Select(s => (DateTimeOffset?)Deadline(s, policy)))
            .Where(d => d is not null)
            .ToList();
        return deadlines.Count > 0 ? deadlines.Min() : null;
    }

    /// <summary>When a session in <paramref name="session"/>'s phase has waited too long (rules 8, 9 and 12).</summary>
    public static DateTimeOffset Deadline(Session session, GroupPolicy policy) => session switch
    {
        { Phase: SessionPhase.Requested } => session.PhaseSince + policy.RemoteStartAnswerTimeout,
        { Phase: SessionPhase.Accepted } => session.PhaseSince + policy.TransactionStartTimeout,
        { OverdueSince: { } overdue } => overdue + policy.StopGrace,
        _ => session.PhaseSince + policy.MaxChargingDuration,
    };

    public GroupState Evolve(IGroupEvent @event) => @event switch
    {
        ConnectorOccupied e => this with
        {
            Candidates = InsertByOccupancy(Candidates.RemoveAll(c => c.Connector == new ConnectorRef(e.ChargePointId, e.ConnectorId)), new Candidate(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.OccupiedAt)),
            LastStatusAt = StatusSeen(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.OccupiedAt),
            Reports = Reported(new ConnectorRef(e.ChargePointId, e.ConnectorId), ConnectorStatus.Preparing, e.OccupiedAt),
        },
        ConnectorVacated e => this with
        {
            Candidates = Candidates.RemoveAll(c => c.Connector == new ConnectorRef(e.ChargePointId, e.ConnectorId)),
            LastStatusAt = StatusSeen(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.At),
            Reports = Reported(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.Status, e.At),
        },
        ConnectorStatusNoted e => this with
        {
            LastStatusAt = StatusSeen(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.At),
            Reports = Reported(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.Status, e.At),
        },
        TransactionStopNoted e => this with { EarlyStops = EarlyStops.SetItem((e.ChargePointId, e.TransactionId), e) },
        PaymentAuthorizationReceived e => this with
        {
            WaitingPayments = WaitingPayments.Add(new WaitingPayment(e.PaymentId, e.TerminalId, new Money(e.AmountMinor, e.Currency), e.ReceivedAt, [], 0, PricePerKwhMinor: e.PricePerKwhMinor)),
            KnownPayments = KnownPayments.Add(e.PaymentId),
        },
        ChargingStartRequested e => StartRequested(e),
        RemoteStartAccepted e => WithSession(e.PaymentId, s => s with { Phase = SessionPhase.Accepted, PhaseSince = e.At }),
        RemoteStartFailed e => StartFailed(e),
        RemoteStartConfirmedLate e => ConfirmedLate(e),
        RemoteStartLost e => StartLost(e),
        ChargingStarted e => Started(e),
        ChargingStopped e => this with { EarlyStops = EarlyStops.Remove((e.ChargePointId, e.TransactionId)) },
        // A session whose start reading the station never told takes its first reading as its start.
        MeterReadingNoted e => WithSession(e.PaymentId, s => s with { LastMeterWh = e.MeterWh, LastMeterAt = e.At, MeterStartWh = s.MeterStartWh ?? e.MeterWh }),
        ChargingOverdue e => WithSession(e.PaymentId, s => s with { OverdueSince = e.At }),
        ChargingEndedWithoutStop => this,
        PaymentCancelled e => Settle(e.PaymentId) with
        {
            KnownPayments = KnownPayments.Add(e.PaymentId),
            CancelledIdTags = CancelledIdTags.SetItems(TagsOf(e.PaymentId).Select(tag => KeyValuePair.Create(tag, e.PaymentId))),
        },
        ChargingStopRequested e => this with
        {
            CancelledIdTags = CancelledIdTags.RemoveRange(TagsOf(e.PaymentId)),
            Transactions = Transactions.Add((e.ChargePointId, e.TransactionId)),
        },
        PaymentCaptureRequested e => Settle(e.PaymentId),
        PaymentVoidRequested e => Settle(e.PaymentId),
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "an event this state does not know"),
    };

    // The tags stations were given for a payment (one, or two in a stream that spans a change of the tag's key).
    private IEnumerable<string> TagsOf(string paymentId) => IssuedIdTags.Where(t => t.Value == paymentId).Select(t => t.Key).ToList();

    // A repeat of the current status keeps its Since and what charged on it; a new status starts afresh.
    private ImmutableDictionary<ConnectorRef, ConnectorReport> Reported(ConnectorRef connector, ConnectorStatus status, DateTimeOffset at) =>
        Reports.TryGetValue(connector, out var current) && current.Status == status
            ? Reports
            : Reports.SetItem(connector, new ConnectorReport(status, at, Charged: false));

    private ImmutableDictionary<ConnectorRef, DateTimeOffset> StatusSeen(ConnectorRef connector, DateTimeOffset at) =>
        LastStatusAt.TryGetValue(connector, out var last) && last > at ? LastStatusAt : LastStatusAt.SetItem(connector, at);

    // Rule 6 keeps candidates in order of occupancy; equal times keep their order of arrival.
    private static ImmutableList<Candidate> InsertByOccupancy(ImmutableList<Candidate> candidates, Candidate candidate)
    {
        var index = candidates.FindIndex(c => c.OccupiedAt > candidate.OccupiedAt);
        return index < 0 ? candidates.Add(candidate) : candidates.Insert(index, candidate);
    }

    private GroupState StartRequested(ChargingStartRequested e)
    {
        var connector = new ConnectorRef(e.ChargePointId, e.ConnectorId);
        var payment = Waiting(e.PaymentId) ?? throw new InvalidOperationException($"start requested for payment {e.PaymentId}, which does not wait");
        var candidate = Candidates.Find(c => c.Connector == connector) ?? new Candidate(connector, e.RequestedAt);
        return this with
        {
            Candidates = Candidates.Remove(candidate),
            IssuedIdTags = IssuedIdTags.SetItem(e.IdTag, e.PaymentId),
            WaitingPayments = WaitingPayments.Remove(payment),
            Sessions = Sessions.SetItem(connector, new Session(payment, candidate, e.IdTag, SessionPhase.Requested, e.RequestedAt, null, null)),
        };
    }

    private GroupState Started(ChargingStarted e)
    {
        var connector = new ConnectorRef(e.ChargePointId, e.ConnectorId);
        var charging = WithSession(e.PaymentId, s => s with { Phase = SessionPhase.Charging, PhaseSince = e.At, TransactionId = e.TransactionId, MeterStartWh = e.MeterStartWh });
        return charging with
        {
            Transactions = Transactions.Add((e.ChargePointId, e.TransactionId)),
            Reports = Reports.TryGetValue(connector, out var report) ? Reports.SetItem(connector, report with { Charged = true }) : Reports,
        };
    }

    // The payment waits again in its place, kept for this connector alone (the driver's car is there, or gone); what the
    // connector reported before the reboot no longer counts, so its next Preparing makes it a candidate even if it repeats
    // the last one.
    private GroupState StartLost(RemoteStartLost e)
    {
        var session = SessionOf(e.PaymentId) ?? throw new InvalidOperationException($"start lost for payment {e.PaymentId}, which has no session");
        var payment = session.Payment with { PinnedTo = session.Connector, PinnedSince = e.At };
        var index = WaitingPayments.FindIndex(p => p.ReceivedAt > payment.ReceivedAt);
        return this with
        {
            Sessions = Sessions.Remove(session.Connector),
            WaitingPayments = index < 0 ? WaitingPayments.Add(payment) : WaitingPayments.Insert(index, payment),
            Reports = Reports.Remove(session.Connector),
        };
    }

    // The payment leaves the queue for the connector that started with its tag after all; the session is past the answer.
    private GroupState ConfirmedLate(RemoteStartConfirmedLate e)
    {
        var connector = new ConnectorRef(e.ChargePointId, e.ConnectorId);
        var payment = Waiting(e.PaymentId) ?? throw new InvalidOperationException($"late start for payment {e.PaymentId}, which does not wait");
        var candidate = Candidates.Find(c => c.Connector == connector) ?? new Candidate(connector, e.At);
        return this with
        {
            Candidates = Candidates.RemoveAll(c => c.Connector == connector),
            WaitingPayments = WaitingPayments.Remove(payment),
            Sessions = Sessions.SetItem(connector, new Session(payment, candidate, e.IdTag, SessionPhase.Accepted, e.At, null, null)),
        };
    }

    // The payment waits again in its original place in the queue. The connector waits again if the station still reports
    // it Preparing, in the place of that report (rule 16: a re-plug during the start counts from the new Preparing); an
    // offline station's connectors are unknown until it reports them again.
    private GroupState StartFailed(RemoteStartFailed e)
    {
        var session = SessionOf(e.PaymentId) ?? throw new InvalidOperationException($"start failed for payment {e.PaymentId}, which has no session");
        var payment = session.Payment with { Excluded = session.Payment.Excluded.Add(session.Connector), FailedStarts = session.Payment.FailedStarts + 1 };
        var index = WaitingPayments.FindIndex(p => p.ReceivedAt > payment.ReceivedAt);
        var offline = e.Outcome == RemoteStartOutcome.Offline;
        var report = ReportOf(session.Connector);
        // Streams written before connector reports existed have none: the candidate goes back as it was matched.
        var candidate = report is null ? session.Candidate : report.Status == ConnectorStatus.Preparing ? session.Candidate with { OccupiedAt = report.Since } : null;
        return this with
        {
            Sessions = Sessions.Remove(session.Connector),
            WaitingPayments = index < 0 ? WaitingPayments.Add(payment) : WaitingPayments.Insert(index, payment),
            Candidates = offline || candidate is null ? Candidates : InsertByOccupancy(Candidates, candidate),
            Reports = offline ? Reports.Remove(session.Connector) : Reports,
        };
    }

    private GroupState WithSession(string paymentId, Func<Session, Session> change)
    {
        var session = SessionOf(paymentId) ?? throw new InvalidOperationException($"payment {paymentId} has no session");
        return this with { Sessions = Sessions.SetItem(session.Connector, change(session)) };
    }

    // A settled payment is out of every queue: a capture or void ends it, and so does a cancellation.
    private GroupState Settle(string paymentId)
    {
        var session = SessionOf(paymentId);
        return this with
        {
            WaitingPayments = WaitingPayments.RemoveAll(p => p.PaymentId == paymentId),
            Sessions = session is null ? Sessions : Sessions.Remove(session.Connector),
            SettledPayments = SettledPayments.Add(paymentId),
        };
    }
}
