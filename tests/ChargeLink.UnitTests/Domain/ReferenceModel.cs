using ChargeLink.Domain.Groups;

namespace ChargeLink.UnitTests.Domain;

/// <summary>
/// The rules of one station group written out plainly, independently of <c>GroupState</c> and <c>GroupDecider</c>: a
/// dictionary of connectors, a dictionary of payments and one method per kind of fact. It only reads the facts, and it
/// says what a decider must be seen to do after each one: which payment is asked to start on which connector, which
/// starts charging, how each payment ends (capture, void or cancellation), and which transactions are asked to stop.
/// <list type="bullet">
/// <item>A connector is a candidate when its current status is Preparing, it carries no session, no session has
/// charged on that Preparing and no operator has it out of service; candidates are ordered by when that Preparing began
/// (ties by arrival), whether it began before or during the time out of service.</item>
/// <item>An operator's act is new unless the same act id, or a later act on the same connector (or station), came
/// before it; a new act takes the connector out of service or returns it, at once.</item>
/// <item>Payments wait in order of receipt; the first one that may use a candidate gets the earliest it may use.</item>
/// <item>A StartTransaction by other means on a candidate is taken as a status Charging reported at that moment (so a
/// status received before it and delivered after it is stale).</item>
/// <item>A reboot adds no exclusion and counts no failure; connectors a payment failed on before stay excluded.</item>
/// <item>A transaction started with an unpaid tag is asked to stop once per (station, transaction), whichever way the tag
/// became unpaid. Tags of payments never asked to start are not modelled specially (no station can know them).</item>
/// <item>Sessions that charge longer than <c>maxCharging</c> are modelled: overdue (a stop request) on the first tick at or
/// after that bound, then settled from the last meter reading kept on the first tick at or after overdue + grace.</item>
/// <item>The money invariant: a payment in another currency than the tariff's, or above the maximum hold, is voided on
/// arrival; only the topology's connectors (<c>served</c>) take part; a payment's tag starts a session only on a connector
/// that was asked to start for it; a session's energy is its own stop reading minus its own start reading, and readings
/// outside 0..100 GWh, running backwards or beyond 400 kW over the session's time (at least an hour) void it.</item>
/// <item>A reboot keeps the lost start's payment for its connector alone: it restarts there on the next Preparing, is voided
/// when that connector reports Available, or when the payment wait runs out counted from the reboot.</item>
/// <item>The retention rule: an authorization of a payment the group does not know, authorized at least <c>retention</c>
/// before it arrives, changes nothing; neither does a cancellation of a payment the group does not know (the router hands a
/// cancellation on only after its authorization reached the group). A payment settled (or cancelled) and authorized at least
/// <c>retention</c> ago may have been forgotten: a transaction started with its tag is then asked to stop, or not; either is
/// right (<see cref="Outcome.MayStop"/>). Before that, everything about it is remembered.</item>
/// </list>
/// </summary>
public sealed class ReferenceModel(long pricePerKwhMinor, string currency, long maxHoldMinor, IReadOnlySet<ConnectorRef> served,
    TimeSpan paymentWait, TimeSpan answerTimeout, TimeSpan startTimeout, TimeSpan maxCharging, TimeSpan stopGrace, TimeSpan retention)
{
    private static readonly TimeSpan MeterInterval = TimeSpan.FromMinutes(5);
    private const long MaxRegisterWh = 100_000_000_000;
    private const long MaxPowerW = 400_000;

    public enum Phase { Requested, Accepted, Charging }

    /// <summary>What a decider must be seen to do for one fact.</summary>
    public sealed class Outcome
    {
        /// <summary>The fact was a stale or repeated status: nothing at all may happen.</summary>
        public bool Ignored { get; set; }
        public List<string> Starts { get; } = [];
        public List<string> Charging { get; } = [];
        public List<string> Settlements { get; } = [];
        public List<string> Cancellations { get; } = [];
        public List<string> Stops { get; } = [];

        /// <summary>Stop requests that may be seen or not: the tag's payment is past the retention period.</summary>
        public List<string> MayStop { get; } = [];

        /// <summary>Authorizations that reached the group past the retention period, for which the payment adapter is
        /// asked to void unless the payment has its instruction: one never seen must be; one seen may be, whether the
        /// group has forgotten it yet or not being the decider's to know.</summary>
        public List<string> Expired { get; } = [];
        public List<string> MayExpire { get; } = [];
    }

    /// <summary>What the test may know of a session to aim its next fact at it.</summary>
    public sealed record SessionView(string PaymentId, ConnectorRef Connector, Phase Phase, int? TransactionId, long? MeterStartWh);

    private sealed class Connector(ConnectorRef where)
    {
        public ConnectorRef Ref { get; } = where;
        public ConnectorStatus? Status { get; set; } // null: unknown (never reported, or forgotten after Offline or a reboot)
        public DateTimeOffset Since { get; set; }
        public long SinceOrder { get; set; }
        public DateTimeOffset? NewestReportAt { get; set; }
        public bool ChargedOn { get; set; }
        public Session? Session { get; set; }
        public bool OutOfService { get; set; }

        public (DateTimeOffset At, long Order) Place => (Since, SinceOrder);
    }

    private sealed class Payment(string id, Money amount, DateTimeOffset authorizedAt, DateTimeOffset receivedAt, long order)
    {
        public DateTimeOffset AuthorizedAt { get; } = authorizedAt;
        public DateTimeOffset? SettledAt { get; set; }
        public string Id { get; } = id;
        public Money Amount { get; } = amount;
        public DateTimeOffset ReceivedAt { get; } = receivedAt;
        public long Order { get; } = order;
        public HashSet<ConnectorRef> Excluded { get; } = [];
        public int FailedStarts { get; set; }
        public bool Waiting { get; set; } = true;
        public bool StartRequested { get; set; }
        public bool Done { get; set; }
        public ConnectorRef? PinnedTo { get; set; }
        public DateTimeOffset? PinnedSince { get; set; }

        public bool MayUse(ConnectorRef c) => PinnedTo is { } pinned ? pinned == c && !Excluded.Contains(c) : !Excluded.Contains(c);
    }

    private sealed class Session(Payment payment, Phase phase, DateTimeOffset since, long order)
    {
        public Payment Payment { get; } = payment;
        public Phase Phase { get; set; } = phase;
        public DateTimeOffset PhaseSince { get; set; } = since;
        public long PhaseOrder { get; set; } = order;
        public int? TransactionId { get; set; }
        public long? MeterStart { get; set; }
        public long? LastMeter { get; set; }
        public DateTimeOffset? LastMeterAt { get; set; }
        public DateTimeOffset? OverdueSince { get; set; }
    }

    private readonly Dictionary<ConnectorRef, Connector> _connectors = [];
    private readonly Dictionary<string, Payment> _payments = [];
    private readonly HashSet<string> _knownPaymentIds = [];
    private readonly Dictionary<(string ChargePointId, int TransactionId), long> _keptStops = [];
    private readonly HashSet<(string ChargePointId, int TransactionId)> _knownTransactions = [];
    private readonly Dictionary<string, string> _ends = [];
    private readonly Dictionary<(string ChargePointId, int? ConnectorId), (string ActId, DateTimeOffset At, string Act, bool Answered)> _lastActs = [];
    private Outcome _out = new();
    private DateTimeOffset _now;
    private long _order;

    /// <summary>How each payment ended: its capture or void, or "cancelled".</summary>
    public IReadOnlyDictionary<string, string> Ends => _ends;

    public int WaitingCount => _payments.Values.Count(p => p.Waiting);

    public int SessionCount => _connectors.Values.Count(c => c.Session is not null);

    public bool WasStartRequested(string paymentId) => _payments.TryGetValue(paymentId, out var p) && p.StartRequested;

    public SessionView? SessionOf(string paymentId) => Views().FirstOrDefault(s => s.PaymentId == paymentId);

    public IReadOnlyList<SessionView> Sessions() => [.. Views()];

    private IEnumerable<SessionView> Views() =>
        _connectors.Values.Where(c => c.Session is not null)
            .Select(c => new SessionView(c.Session!.Payment.Id, c.Ref, c.Session.Phase, c.Session.TransactionId, c.Session.MeterStart));

    /// <summary>Applies one fact, delivered at <paramref name="now"/>, and says what must be seen.</summary>
    public Outcome Apply(GroupFact fact, DateTimeOffset now)
    {
        _out = new Outcome();
        _now = now;
        switch (fact)
        {
            case ConnectorStatusReported f: OnStatus(f); break;
            case PaymentAuthorizationReported f: OnPayment(f); break;
            case PaymentCancellationReported f: OnCancellation(f); break;
            case RemoteStartAnswerReported f: OnAnswer(f); break;
            case TransactionStartReported f: OnTransactionStart(f); break;
            case TransactionStopReported f: OnTransactionStop(f); break;
            case MeterReadingReported f: OnMeterReading(f); break;
            case StationBootReported f: OnBoot(f); break;
            case ClockTicked f: OnClock(f.Now); break;
            case OperatorVoidReported f: OnOperatorVoid(f); break;
            case OperatorStationActReported f: OnOperatorAct(f); break;
            case OperatorActAnswerReported f: OnOperatorActAnswer(f); break;
            default: throw new ArgumentOutOfRangeException(nameof(fact), fact.GetType().Name, "a fact the model does not know");
        }
        if (!_out.Ignored)
            Match(now);
        return _out;
    }

    // Rules 1 and 11.
    private void OnStatus(ConnectorStatusReported f)
    {
        var c = ConnectorAt(f.Connector);
        if (!served.Contains(f.Connector) || (c.NewestReportAt is { } newest && f.ReceivedAt < newest) || c.Status == f.Status)
        {
            _out.Ignored = true;
            return;
        }
        c.NewestReportAt = f.ReceivedAt;
        SetStatus(c, f.Status, f.ReceivedAt);
        if (f.Status == ConnectorStatus.Available && WaitingInOrder().FirstOrDefault(p => p.PinnedTo == c.Ref) is { } pinned)
            Void(pinned, VoidReason.ChargingNotStarted);
        if (c.Session is not { Phase: not Phase.Charging } session)
            return;
        if (f.Status == ConnectorStatus.Available)
        {
            c.Session = null;
            Void(session.Payment, VoidReason.ChargingNotStarted);
        }
        else if (f.Status is ConnectorStatus.Faulted or ConnectorStatus.Unavailable)
        {
            StartFailed(c, offline: false);
        }
    }

    // Rule 3.
    private void OnPayment(PaymentAuthorizationReported f)
    {
        var late = f.AuthorizedAt + retention <= _now;
        if (_knownPaymentIds.Contains(f.PaymentId))
        {
            if (late)
                _out.MayExpire.Add(f.PaymentId);
            return;
        }
        if (late)
        {
            _out.Expired.Add(f.PaymentId);
            return;
        }
        _knownPaymentIds.Add(f.PaymentId);
        var payment = _payments[f.PaymentId] = new Payment(f.PaymentId, f.Amount, f.AuthorizedAt, f.ReceivedAt, ++_order);
        if (f.Amount.Currency != currency)
            Void(payment, VoidReason.CurrencyNotAccepted);
        else if (f.Amount.Minor > maxHoldMinor)
            Void(payment, VoidReason.HoldAboveMaximum);
    }

    // Rule 6. A cancellation of a payment the group does not know changes nothing at all.
    private void OnCancellation(PaymentCancellationReported f)
    {
        if (!_payments.TryGetValue(f.PaymentId, out var payment))
        {
            _out.Ignored = true;
            return;
        }
        var at = ConnectorOf(payment);
        if (payment.Done || at?.Session?.Phase == Phase.Charging)
            return;
        if (at is not null)
            at.Session = null;
        payment.Waiting = false;
        payment.Done = true;
        payment.SettledAt = _now;
        _out.Cancellations.Add($"{f.PaymentId} cancelled");
        _ends[f.PaymentId] = "cancelled";
    }

    // Issue 29: an operator voids a payment while it waits for a connector, as the clock would; a payment settled, with a
    // start under way or charging is not touched. One the group does not know changes nothing at all.
    private void OnOperatorVoid(OperatorVoidReported f)
    {
        if (!_payments.TryGetValue(f.PaymentId, out var payment))
        {
            _out.Ignored = true;
            return;
        }
        if (payment.Waiting && !payment.Done)
            Void(payment, VoidReason.VoidedByOperator);
    }

    // Issue 29: out of service or back in, from the act on; a copy or an older act does nothing.
    private void OnOperatorAct(OperatorStationActReported f)
    {
        var target = (f.ChargePointId, f.ConnectorId);
        if (!served.Contains(new ConnectorRef(f.ChargePointId, f.ConnectorId ?? -1))
            || (_lastActs.TryGetValue(target, out var last) && (last.ActId == f.ActId || f.ReceivedAt < last.At)))
            return;
        _lastActs[target] = (f.ActId, f.ReceivedAt, f.Act, false);
        if (f.Act == OperatorActs.TakeOutOfService)
            ConnectorAt(new ConnectorRef(f.ChargePointId, f.ConnectorId!.Value)).OutOfService = true;
        else if (f.Act == OperatorActs.ReturnToService)
            ConnectorAt(new ConnectorRef(f.ChargePointId, f.ConnectorId!.Value)).OutOfService = false;
    }

    // The station's answer to the last act on its target is noted once; a copy of it changes nothing. A connector
    // returned to service is started on only once the station has answered the return.
    private void OnOperatorActAnswer(OperatorActAnswerReported f)
    {
        foreach (var (target, last) in _lastActs)
        {
            if (last.ActId != f.ActId)
                continue;
            if (last.Answered)
                _out.Ignored = true;
            else
                _lastActs[target] = last with { Answered = true };
            return;
        }
    }

    private bool ReturnUnanswered(ConnectorRef connector) =>
        _lastActs.TryGetValue((connector.ChargePointId, connector.ConnectorId), out var last) && last.Act == OperatorActs.ReturnToService && !last.Answered;

    // Rule 7.
    private void OnAnswer(RemoteStartAnswerReported f)
    {
        var c = ConnectorAt(f.Connector);
        if (c.Session is not { Phase: Phase.Requested } session || session.Payment.Id != f.PaymentId)
            return;
        if (f.Outcome == RemoteStartOutcome.Accepted)
        {
            session.Phase = Phase.Accepted;
            session.PhaseSince = f.ReceivedAt;
            session.PhaseOrder = ++_order;
        }
        else
        {
            StartFailed(c, offline: f.Outcome == RemoteStartOutcome.Offline);
        }
    }

    // Rule 9.
    private void OnTransactionStart(TransactionStartReported f)
    {
        var c = ConnectorAt(f.Connector);
        if (c.Session is { } session && TestTags.For(session.Payment.Id) == f.IdTag)
        {
            if (session.Phase != Phase.Charging)
                StartCharging(c, session, f);
            return;
        }
        // Another transaction where a session charges: the session's stop was lost; it ends as at the bound.
        if (c.Session is { Phase: Phase.Charging } running && running.TransactionId != f.TransactionId)
            End(c, running.LastMeter ?? running.MeterStart ?? 0, f.ReceivedAt, VoidReason.StopNeverReported);
        var payment = _payments.Values.FirstOrDefault(p => TestTags.For(p.Id) == f.IdTag);
        if (payment is { Waiting: true } && c.Session is null && served.Contains(c.Ref) && (payment.Excluded.Contains(c.Ref) || payment.PinnedTo == c.Ref))
        {
            payment.Waiting = false;
            c.Session = new Session(payment, Phase.Accepted, f.ReceivedAt, ++_order);
            StartCharging(c, c.Session, f);
            return;
        }
        if (Waits(c))
        {
            SetStatus(c, ConnectorStatus.Charging, f.ReceivedAt);
            c.NewestReportAt = c.NewestReportAt is { } newest && newest > f.ReceivedAt ? newest : f.ReceivedAt;
        }
        // Cancelled after its start was requested, or started somewhere and no longer here: nobody pays. Once per transaction.
        var known = _knownTransactions.Contains((f.Connector.ChargePointId, f.TransactionId));
        if (payment is { StartRequested: true } && !known)
        {
            _knownTransactions.Add((f.Connector.ChargePointId, f.TransactionId));
            var stop = $"stop {payment.Id} {f.Connector} tx {f.TransactionId}";
            if (payment.SettledAt is { } settled && Later(settled, payment.AuthorizedAt) + retention <= _now)
                _out.MayStop.Add(stop);
            else
                _out.Stops.Add(stop);
        }
    }

    // Rule 10.
    private void OnTransactionStop(TransactionStopReported f)
    {
        var key = (f.ChargePointId, f.TransactionId);
        var charging = _connectors.Values.FirstOrDefault(c =>
            c.Ref.ChargePointId == f.ChargePointId && c.Session is { Phase: Phase.Charging } s && s.TransactionId == f.TransactionId);
        if (charging is not null)
        {
            _keptStops.Remove(key);
            var session = charging.Session!;
            End(charging, f.MeterStopWh ?? session.LastMeter ?? session.MeterStart ?? 0, f.ReceivedAt, VoidReason.NoEnergyDelivered);
            return;
        }
        var awaited = _connectors.Values.Any(c => c.Ref.ChargePointId == f.ChargePointId && c.Session is { Phase: not Phase.Charging });
        // One without a reading is not kept: nothing to end at.
        if (awaited && f.MeterStopWh is { } meterStop)
            _keptStops.TryAdd(key, meterStop);
    }

    // Rule 13.
    private void OnMeterReading(MeterReadingReported f)
    {
        if (ConnectorAt(f.Connector).Session is not { Phase: Phase.Charging } session)
            return;
        if (f.TransactionId is { } tx && tx != session.TransactionId)
            return;
        if (f.MeterWh < 0 || f.MeterWh > MaxRegisterWh || f.MeterWh <= (session.LastMeter ?? session.MeterStart ?? -1))
            return;
        if (session.OverdueSince is null && session.LastMeterAt is { } last && f.ReceivedAt - last < MeterInterval)
            return;
        session.LastMeter = f.MeterWh;
        session.LastMeterAt = f.ReceivedAt;
        session.MeterStart ??= f.MeterWh;
    }

    // Rule 12.
    private void OnBoot(StationBootReported f)
    {
        foreach (var c in _connectors.Values.Where(c => c.Ref.ChargePointId == f.ChargePointId && c.Session is { Phase: not Phase.Charging }))
        {
            c.Session!.Payment.Waiting = true;
            c.Session.Payment.PinnedTo = c.Ref;
            c.Session.Payment.PinnedSince = f.ReceivedAt;
            c.Session = null;
            c.Status = null;
            c.ChargedOn = false;
        }
    }

    // Rules 5 and 8.
    private void OnClock(DateTimeOffset now)
    {
        var open = _connectors.Values.Where(c => c.Session is not null).OrderBy(c => c.Session!.PhaseSince).ThenBy(c => c.Session!.PhaseOrder).ToList();
        foreach (var c in open)
        {
            var session = c.Session!;
            switch (session.Phase)
            {
                case Phase.Requested when session.PhaseSince + answerTimeout <= now:
                    StartFailed(c, offline: false);
                    break;
                case Phase.Accepted when session.PhaseSince + startTimeout <= now:
                    c.Session = null;
                    Void(session.Payment, VoidReason.ChargingNotStarted);
                    break;
                case Phase.Charging when session.OverdueSince is null && session.PhaseSince + maxCharging <= now:
                    session.OverdueSince = now;
                    _out.Stops.Add($"overdue {session.Payment.Id} {c.Ref} tx {session.TransactionId}");
                    break;
                case Phase.Charging when session.OverdueSince is { } overdue && overdue + stopGrace <= now:
                    End(c, session.LastMeter ?? session.MeterStart ?? 0, now, VoidReason.StopNeverReported);
                    break;
            }
        }
        foreach (var payment in WaitingInOrder().Where(p => (p.PinnedSince ?? p.ReceivedAt) + paymentWait <= now))
            Void(payment, payment.PinnedTo is not null ? VoidReason.ChargingNotStarted : payment.FailedStarts > 0 ? VoidReason.StationRejected : VoidReason.NoConnectorOccupied);
    }

    // Rules 2 and 4.
    private void Match(DateTimeOffset now)
    {
        while (true)
        {
            var waiting = WaitingInOrder();
            var candidates = _connectors.Values.Where(c => IsCandidate(c) && served.Contains(c.Ref) && !ReturnUnanswered(c.Ref)).OrderBy(c => c.Place.At).ThenBy(c => c.Place.Order).ToList();
            var match = waiting
                .Select(p => (Payment: p, Connector: candidates.FirstOrDefault(c => p.MayUse(c.Ref) && (p.PinnedTo is not null || !waiting.Any(o => o.PinnedTo == c.Ref)))))
                .FirstOrDefault(m => m.Connector is not null);
            if (match.Connector is null)
                return;
            match.Payment.Waiting = false;
            match.Payment.StartRequested = true;
            match.Connector.Session = new Session(match.Payment, Phase.Requested, now, ++_order);
            _out.Starts.Add($"{match.Payment.Id} on {match.Connector.Ref}");
        }
    }

    private static bool IsCandidate(Connector c) => Waits(c) && !c.OutOfService;

    // A car plugged in and waiting, whether or not the connector is in service.
    private static bool Waits(Connector c) => c.Status == ConnectorStatus.Preparing && !c.ChargedOn && c.Session is null;

    private IEnumerable<Payment> WaitingInOrder() => _payments.Values.Where(p => p.Waiting).OrderBy(p => p.ReceivedAt).ThenBy(p => p.Order).ToList();

    private Connector? ConnectorOf(Payment payment) => _connectors.Values.FirstOrDefault(c => c.Session?.Payment == payment);

    private Connector ConnectorAt(ConnectorRef where)
    {
        if (!_connectors.TryGetValue(where, out var c))
            _connectors[where] = c = new Connector(where);
        return c;
    }

    private void SetStatus(Connector c, ConnectorStatus status, DateTimeOffset at)
    {
        c.Status = status;
        c.Since = at;
        c.SinceOrder = ++_order;
        c.ChargedOn = false;
    }

    // Rule 7: the payment waits again in its place, never to use this connector again.
    private void StartFailed(Connector c, bool offline)
    {
        var payment = c.Session!.Payment;
        c.Session = null;
        payment.Excluded.Add(c.Ref);
        payment.FailedStarts++;
        payment.Waiting = true;
        if (offline)
        {
            c.Status = null;
            c.ChargedOn = false;
        }
    }

    private void StartCharging(Connector c, Session session, TransactionStartReported f)
    {
        session.Phase = Phase.Charging;
        session.PhaseSince = f.ReceivedAt;
        session.PhaseOrder = ++_order;
        session.TransactionId = f.TransactionId;
        session.MeterStart = f.MeterStartWh;
        c.ChargedOn = true;
        _knownTransactions.Add((c.Ref.ChargePointId, f.TransactionId));
        _out.Charging.Add($"{session.Payment.Id} charging on {c.Ref} tx {f.TransactionId} from {f.MeterStartWh} Wh");
        if (_keptStops.Remove((c.Ref.ChargePointId, f.TransactionId), out var meterStop))
            End(c, meterStop, f.ReceivedAt, VoidReason.NoEnergyDelivered);
    }

    // Rule 10: energy x tariff rounded half up, at most the hold; no energy or no price is a void. Readings out of a
    // register's range, backwards, or beyond what 400 kW delivers in the session's time (at least an hour) are a void too.
    private void End(Connector c, long meterStop, DateTimeOffset at, string noEnergyReason)
    {
        var session = c.Session!;
        var payment = session.Payment;
        c.Session = null;
        var start = session.MeterStart ?? meterStop;
        var hours = Math.Max(1m, (decimal)(at - session.PhaseSince).TotalSeconds / 3600m);
        if (start < 0 || meterStop < 0 || start > MaxRegisterWh || meterStop > MaxRegisterWh || meterStop < start || meterStop - start > MaxPowerW * hours)
        {
            Void(payment, VoidReason.MeterImplausible);
            return;
        }
        var energyWh = meterStop - start;
        var amount = Math.Min(((energyWh * pricePerKwhMinor) + 500) / 1000, payment.Amount.Minor);
        if (energyWh == 0)
            Void(payment, noEnergyReason);
        else if (amount == 0)
            Void(payment, VoidReason.NothingToCapture);
        else
            Settle(payment, $"{payment.Id} captured {amount} {payment.Amount.Currency} for {energyWh} Wh");
    }

    private void Void(Payment payment, string reason) => Settle(payment, $"{payment.Id} voided {reason}");

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private void Settle(Payment payment, string how)
    {
        payment.Waiting = false;
        payment.Done = true;
        payment.SettledAt = _now;
        _out.Settlements.Add(how);
        _ends[payment.Id] = how;
    }
}
