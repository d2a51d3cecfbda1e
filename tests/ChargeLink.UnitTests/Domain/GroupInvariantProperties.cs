using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;
using FsCheck;
using FsCheck.Fluent;

namespace ChargeLink.UnitTests.Domain;

/// <summary>
/// Random lives of one group through the pure decider: plugs and unplugs with every OCPP status and station clocks that
/// are wrong, payments from two terminals with several amounts and currencies, cancellations before and after the start
/// request, every station answer, starts with the payment's tag and by RFID, stops that overtake their start, zero energy,
/// a price that rounds to nothing and energy beyond the hold, meter readings, cars that leave or connectors that fail
/// before charging, re-plugs during and after a session, reboots before and during charging, repeats, late (reordered)
/// deliveries and the passing of time, long enough for a session to run past its bound; operators who void waiting
/// payments and take connectors out of service and back (some acts submitted twice; a connector out of service is never
/// chosen).
/// What is expected comes from <see cref="ReferenceModel"/>, the rules written out plainly from the facts alone, never
/// from the decider's own state: after every fact the start requests (payment and connector), the sessions that begin
/// charging, the captures, voids and cancellations and the stop requests must be exactly those the model predicts, and
/// at the end every payment must have ended as the model says: exactly one capture or void unless it was cancelled.
/// Sessions that charge past <see cref="GroupPolicy.MaxChargingDuration"/> are modelled (the bound is shortened to
/// 10 minutes here so that they happen). A station only learns a payment's tag when asked to start with it, so a
/// StartTransaction carries a payment's tag only once the model has seen that payment's start requested. Every other life
/// ends with time running out before the last stops, so that sessions still charging end without their stop.
/// Stations are hostile too: start readings that are negative, beyond any register (2^63 - 1), unknown (an OCPP 2.x
/// transaction that told none) or a lifetime register; stops and meter readings that run backwards, jump by 2^62 or sit
/// beyond a register; a payment's tag started on connectors that were never asked for it, including one outside the
/// topology; payments in a currency not the tariff's and above the maximum hold; reboots that lose a start, followed by the
/// car leaving or another car arriving. After every instruction the money invariant must hold: a capture is an integer
/// 0 &lt; amount &lt;= hold, in the hold's currency which is the tariff's, for the session's own energy.
/// The retention rule: the period is shortened to 30 minutes, so that settled payments are forgotten within a life; a payment
/// delivered again carries its first authorization's time, as a repeat does; some authorizations arrive late, within the
/// period or beyond it (never to start); the group is restarted now and then from its snapshot (what a cold start loads)
/// and must go on exactly as before. At the end, the group holds nothing of the payments it settled, and every fact of the
/// life delivered again, beyond the period, starts, charges, settles, cancels and stops nothing.
/// </summary>
public sealed class GroupInvariantProperties
{
    private const long PricePerKwh = 45;
    private static readonly TimeSpan PaymentWait = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan MaxCharging = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StopGrace = TimeSpan.FromMinutes(5);
    private const long MaxHold = 50_000;
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(30);

    // The last connector is not in the topology: a station may still report it and start on it.
    private static readonly ConnectorRef[] Connectors = [new("CP-1", 1), new("CP-1", 2), new("CP-2", 1), new("CP-2", 7)];
    private static readonly HashSet<ConnectorRef> Served = [.. Connectors[..3]];

    private static readonly GroupPolicy Policy = new(new Tariff(PricePerKwh, "EUR"), PaymentWait, AnswerTimeout, StartTimeout)
    {
        MaxChargingDuration = MaxCharging,
        StopGrace = StopGrace,
        Connectors = [.. Served],
        MaxHoldMinor = MaxHold,
        IdTagKey = TestTags.Key,
        Retention = Retention,
    };

    private static readonly string[] Payments = ["p0", "p1", "p2", "p3", "p4"];
    private static readonly long[] Amounts = [1, 100, 5000, 100_000];
    private static readonly string[] Currencies = ["EUR", "SEK"];
    private static readonly string[] Terminals = ["TERM-1", "TERM-2"];

    // Wh delivered by a stop: none, one (rounds to no price), 100 (4.5 rounds up to 5), some, more than a 100 or 5,000 hold
    // buys, a meter that went backwards, and a jump of 2^62 Wh (beyond any register and any connector's power).
    private static readonly long[] Energies = [0, 1, 100, 500, 27_420, 200_000, -50, 1L << 62];

    // A start reading, by the step's variant: most are plain; some are negative, beyond any register, a lifetime register or
    // unknown (null: an OCPP 2.x transaction that told no reading before the payment's token).
    private static long? StartReading(int variant) => (variant % 12) switch
    {
        9 => int.MinValue,
        10 => long.MaxValue,
        11 => null,
        8 => 12_345_678 + variant,
        _ => variant * 100L,
    };

    // Adds without overflow, as a hostile station's numbers would otherwise wrap: the sum stays a long at its bound.
    private static long Saturated(long a, long b) => (long)Int128.Clamp((Int128)a + b, long.MinValue, long.MaxValue);

    public enum StepKind { Status, Plug, Unplug, Pay, Cancel, Answer, StartTransaction, StartByRfid, Stop, StopEarly, Meter, Leave, Fault, Replug, Boot, Wait, Repeat, Late, Restart, OperatorVoid, OutOfService }

    public sealed record Step(StepKind Kind, int Connector, int Payment, RemoteStartOutcome Outcome, int Seconds, ConnectorStatus Status, int Variant)
    {
        public override string ToString() => $"{Kind}(c{Connector} p{Payment} {Outcome} {Seconds}s {Status} v{Variant})";
    }

    public sealed record Scenario(Step[] Steps)
    {
        public override string ToString() => string.Join(", ", Steps.Select(s => s.ToString()));
    }

    public static class Scenarios
    {
        public static Arbitrary<Scenario> Arbitrary()
        {
            var step =
                from kind in Gen.Frequency(
                    (2, Gen.Constant(StepKind.Status)), (4, Gen.Constant(StepKind.Plug)), (2, Gen.Constant(StepKind.Unplug)),
                    (4, Gen.Constant(StepKind.Pay)), (1, Gen.Constant(StepKind.Cancel)), (4, Gen.Constant(StepKind.Answer)),
                    (3, Gen.Constant(StepKind.StartTransaction)), (1, Gen.Constant(StepKind.StartByRfid)), (3, Gen.Constant(StepKind.Stop)),
                    (1, Gen.Constant(StepKind.StopEarly)), (1, Gen.Constant(StepKind.Meter)), (1, Gen.Constant(StepKind.Leave)),
                    (1, Gen.Constant(StepKind.Fault)), (1, Gen.Constant(StepKind.Replug)), (1, Gen.Constant(StepKind.Boot)),
                    (2, Gen.Constant(StepKind.Wait)), (2, Gen.Constant(StepKind.Repeat)), (2, Gen.Constant(StepKind.Late)),
                    (1, Gen.Constant(StepKind.Restart)), (1, Gen.Constant(StepKind.OperatorVoid)), (2, Gen.Constant(StepKind.OutOfService)))
                from connector in Gen.Choose(0, Connectors.Length - 1)
                from payment in Gen.Choose(0, Payments.Length - 1)
                from outcome in Gen.Elements(RemoteStartOutcome.Accepted, RemoteStartOutcome.Accepted, RemoteStartOutcome.Accepted, RemoteStartOutcome.Rejected, RemoteStartOutcome.Offline, RemoteStartOutcome.TimedOut, RemoteStartOutcome.Failed)
                from seconds in Gen.Elements(1, 5, 30, 70, 130, 200, 400, 1300)
                from status in Gen.Elements(Enum.GetValues<ConnectorStatus>())
                from variant in Gen.Choose(0, 83)
                select new Step(kind, connector, payment, outcome, seconds, status, variant);
            var scenario = Gen.Sized(size => Gen.ListOf(step, Math.Max(1, size * 2))).Select(steps => new Scenario([.. steps]));
            return Arb.From(scenario, Shrink);
        }

        // Smaller failing scenarios are found by dropping one step at a time.
        private static IEnumerable<Scenario> Shrink(Scenario scenario) =>
            Enumerable.Range(0, scenario.Steps.Length).Select(i => new Scenario([.. scenario.Steps[..i], .. scenario.Steps[(i + 1)..]]));
    }

    // FsCheck supplies the argument; NUnit's analyzer cannot see that.
#pragma warning disable NUnit1027
    [FsCheck.NUnit.Property(Arbitrary = new[] { typeof(Scenarios) }, MaxTest = 2000, EndSize = 60)]
    public void The_rules_hold_for_any_life_of_a_group(Scenario scenario)
    {
        var run = new Run();
        foreach (var step in scenario.Steps)
            run.Apply(step);
        run.Finish(stopFirst: scenario.Steps.Length % 2 == 0);
        run.DeliverTheLifeAgainBeyondRetention();
    }
#pragma warning restore NUnit1027

    /// <summary>
    /// Feeds every fact to the decider (the system under test, folded with <see cref="GroupState.Evolve"/>) and to the
    /// reference model, and compares what can be seen of each after every fact.
    /// </summary>
    private sealed class Run
    {
        private GroupState _state = GroupState.Empty;
        private readonly ReferenceModel _model = new(PricePerKwh, "EUR", MaxHold, Served, PaymentWait, AnswerTimeout, StartTimeout, MaxCharging, StopGrace, Retention);
        private DateTimeOffset _now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        private GroupFact? _last;
        private readonly List<GroupFact> _history = [];

        // What the test sent: the meter values of each transaction, so that a stop sent before its start agrees with it.
        private readonly Dictionary<(string ChargePointId, int TransactionId), long?> _meterStart = [];
        private int _nextRfidTransaction = 1;

        // What the test's operators took out of service, by its own acts.
        private readonly HashSet<ConnectorRef> _outOfService = [];
        private int _acts;

        // Each payment's first authorization: a payment delivered again is the same message, authorized at the same time.
        private readonly Dictionary<string, PaymentAuthorizationReported> _paid = [];

        // What the decider did, from its events.
        private readonly Dictionary<string, string> _ends = [];
        private readonly Dictionary<string, int> _settlements = [];
        private readonly HashSet<string> _authorized = [];
        private readonly Dictionary<string, Money> _holds = [];
        private readonly Dictionary<string, HashSet<ConnectorRef>> _asked = [];
        private readonly HashSet<string> _cancelled = [];

        public void Apply(Step step)
        {
            foreach (var fact in FactsOf(step))
                Deliver(fact);
        }

        private List<GroupFact> FactsOf(Step step)
        {
            var connector = Connectors[step.Connector];
            var paymentId = Aim(step) ?? Payments[step.Payment];
            var session = _model.SessionOf(paymentId);
            var target = session?.Connector ?? connector;
            switch (step.Kind)
            {
                case StepKind.Status: return [StatusOf(connector, step.Status, step)];
                case StepKind.Plug: return [StatusOf(connector, ConnectorStatus.Preparing, step)];
                case StepKind.Unplug: return [StatusOf(connector, ConnectorStatus.Available, step)];
                // The car leaves the connector its payment was given (after the accept, say), or one fault or another.
                case StepKind.Leave: return [StatusOf(target, ConnectorStatus.Available, step)];
                case StepKind.Fault: return [StatusOf(target, step.Variant / 4 % 2 == 0 ? ConnectorStatus.Faulted : ConnectorStatus.Unavailable, step)];
                // Unplugged and plugged in again: during the session, before its StopTransaction, or after it.
                case StepKind.Replug:
                    ConnectorStatus[] replug = (step.Variant % 3) switch
                    {
                        0 => [ConnectorStatus.Finishing, ConnectorStatus.Available, ConnectorStatus.Preparing],
                        1 => [ConnectorStatus.Available, ConnectorStatus.Preparing],
                        _ => [ConnectorStatus.Finishing, ConnectorStatus.Preparing],
                    };
                    return [.. replug.Select(status => StatusOf(target, status, step))];
                case StepKind.Pay:
                    Tick();
                    if (_paid.TryGetValue(paymentId, out var first))
                        return [first with { ReceivedAt = _now }];
                    // Most arrive at once; some late, within the retention period or beyond it.
                    var authorizedAt = (step.Variant % 13) switch { 12 => _now - Retention - TimeSpan.FromSeconds(step.Seconds), 11 => _now - (Retention / 2), _ => _now };
                    return [_paid[paymentId] = new PaymentAuthorizationReported(paymentId, Terminals[step.Variant % 2], new Money(Amounts[step.Variant % Amounts.Length], Currencies[step.Variant / 42]), authorizedAt, _now)];
                case StepKind.Cancel:
                    Tick();
                    return [new PaymentCancellationReported(paymentId, _now)];
                case StepKind.OperatorVoid:
                    Tick();
                    return [new OperatorVoidReported(paymentId, "operator-1", "the driver gave up", _now)];
                // An operator takes a connector out of service or returns it; some are clicked twice.
                case StepKind.OutOfService:
                    Tick();
                    var takeOut = step.Variant % 2 == 0;
                    if (Served.Contains(connector))
                    {
                        if (takeOut)
                            _outOfService.Add(connector);
                        else
                            _outOfService.Remove(connector);
                    }
                    var act = new OperatorStationActReported($"act-{++_acts}", takeOut ? OperatorActs.TakeOutOfService : OperatorActs.ReturnToService,
                        "operator-1", "holster broken", connector.ChargePointId, connector.ConnectorId, _now);
                    // Most are answered by the station at once (a return is started on only once it is), some later or never.
                    List<GroupFact> acted = step.Variant % 5 == 0 ? [act, act] : [act];
                    if (step.Variant % 3 != 2)
                        acted.Add(new OperatorActAnswerReported(act.ActId, connector.ChargePointId, takeOut ? "Rejected" : "Accepted", _now));
                    return acted;
                case StepKind.Answer:
                    Tick();
                    return [new RemoteStartAnswerReported(paymentId, target, step.Outcome, _now)];
                // A station only knows a payment's tag once it was asked to start with it; one start in five is on a connector
                // of the step's own choosing, asked or not, in the topology or not.
                case StepKind.StartTransaction when _model.WasStartRequested(paymentId):
                    var on = step.Variant % 5 == 4 ? connector : target;
                    return [Start(on, TestTags.For(paymentId), TransactionFor(paymentId, on), StartReading(step.Variant))];
                case StepKind.StartByRfid:
                    return [Start(connector, "RFID-CARD", 900 + _nextRfidTransaction++, 0)];
                case StepKind.Stop when session?.TransactionId is { } tx:
                    return [Stop(session.Connector, tx, session.MeterStartWh, step)];
                // The StopTransaction of a transaction whose start has not reached the group yet.
                case StepKind.StopEarly when session is { Phase: not ReferenceModel.Phase.Charging }:
                    return [Stop(session.Connector, TransactionFor(paymentId, session.Connector), StartReading(step.Variant), step)];
                case StepKind.Meter:
                    Tick();
                    return session is { Phase: ReferenceModel.Phase.Charging, TransactionId: { } charging }
                        ? [new MeterReadingReported(session.Connector, (step.Variant % 3) switch { 0 => charging, 1 => null, _ => charging + 1 },
                            step.Variant % 7 == 6 ? long.MaxValue : Saturated(Saturated(session.MeterStartWh ?? 1_000, Energies[step.Variant % Energies.Length]), step.Seconds), _now)]
                        : [new MeterReadingReported(connector, null, step.Variant * 1000, _now)];
                case StepKind.Boot:
                    Tick();
                    return [new StationBootReported(target.ChargePointId, _now)];
                case StepKind.Wait:
                    _now = _now.AddSeconds(step.Seconds);
                    return [new ClockTicked(_now)];
                case StepKind.Repeat:
                    return _last is null ? [] : [_last];
                // An earlier fact delivered again, out of order.
                case StepKind.Late:
                    return _history.Count == 0 ? [] : [_history[((step.Connector * 7) + (step.Payment * 3) + step.Variant) % _history.Count]];
                // A cold start: the group is loaded from its snapshot, as the text kept beside the stream.
                case StepKind.Restart:
                    var stored = GroupSnapshot.Of(_state).ToJson();
                    _state = GroupSnapshot.FromJson(stored)!.ToState();
                    Assert.That(GroupSnapshot.Of(_state).ToJson(), Is.EqualTo(stored), "a group restored from its snapshot has the state it was taken of");
                    return [];
                default:
                    return [];
            }
        }

        // Most steps that concern a session are aimed at one the model knows to be open in a phase where the step matters,
        // so that answers, starts and stops find their session often; one in four is left to the step's own payment.
        private string? Aim(Step step)
        {
            Func<ReferenceModel.SessionView, bool>? fits = step.Kind switch
            {
                StepKind.Answer => s => s.Phase == ReferenceModel.Phase.Requested,
                StepKind.StartTransaction or StepKind.StopEarly or StepKind.Leave or StepKind.Fault or StepKind.Cancel => s => s.Phase != ReferenceModel.Phase.Charging,
                StepKind.Stop or StepKind.Meter => s => s.Phase == ReferenceModel.Phase.Charging,
                StepKind.Replug or StepKind.Boot => _ => true,
                _ => null,
            };
            if (fits is null || step.Variant % 4 == 0)
                return null;
            var open = _model.Sessions().Where(fits).ToList();
            return open.Count == 0 ? null : open[step.Payment % open.Count].PaymentId;
        }

        private void Tick() => _now = _now.AddSeconds(1);

        private ConnectorStatusReported StatusOf(ConnectorRef connector, ConnectorStatus status, Step step)
        {
            Tick();
            return new ConnectorStatusReported(connector, status, StationClock(step), _now);
        }

        // A station's own clock is kept for the record only; here it is absent, far behind or far ahead.
        private DateTimeOffset? StationClock(Step step) => (step.Variant % 3) switch
        {
            0 => null,
            1 => _now.AddDays(-400),
            _ => _now.AddHours(5),
        };

        // One transaction id per payment and connector, so that a stop can be sent before its start.
        private static int TransactionFor(string paymentId, ConnectorRef connector) =>
            100 + (Array.IndexOf(Payments, paymentId) * 10) + Array.IndexOf(Connectors, connector);

        private TransactionStartReported Start(ConnectorRef connector, string idTag, int transactionId, long? meterStart)
        {
            Tick();
            _meterStart.TryAdd((connector.ChargePointId, transactionId), meterStart);
            return new TransactionStartReported(connector, idTag, transactionId, _meterStart[(connector.ChargePointId, transactionId)], _now);
        }

        private TransactionStopReported Stop(ConnectorRef connector, int transactionId, long? meterStart, Step step)
        {
            Tick();
            _meterStart.TryAdd((connector.ChargePointId, transactionId), meterStart);
            var meterStop = Saturated(_meterStart[(connector.ChargePointId, transactionId)] ?? 2_000, Energies[step.Variant % Energies.Length]);
            // Now and then an end without a reading (a 2.x Ended after a gateway restart): the session ends at its own.
            return new TransactionStopReported(connector.ChargePointId, transactionId, step.Variant % 7 == 6 ? null : meterStop, _now);
        }

        /// <summary>
        /// Every session stops, then time runs out for everything else; or, in every other life, time runs out first, so that
        /// sessions still charging become overdue and end without their stop.
        /// </summary>
        public void Finish(bool stopFirst)
        {
            for (var round = 0; round < 2; round++)
            {
                if (stopFirst || round > 0)
                {
                    foreach (var session in _model.Sessions().Where(s => s.Phase == ReferenceModel.Phase.Charging))
                    {
                        Tick();
                        Deliver(new TransactionStopReported(session.Connector.ChargePointId, session.TransactionId!.Value, Saturated(session.MeterStartWh ?? 2_000, 500), _now));
                    }
                }
                for (var i = 0; i < 4; i++)
                    Deliver(new ClockTicked(_now = _now.AddHours(1)));
            }

            Assert.That(_model.WaitingCount, Is.Zero, "the model: no payment waits forever");
            Assert.That(_model.SessionCount, Is.Zero, "the model: no session stays open forever");
            Assert.That(_state.WaitingPayments, Is.Empty, "no payment waits forever");
            Assert.That(_state.Sessions, Is.Empty, "no session stays open forever");
            Assert.That(_ends, Is.EquivalentTo(_model.Ends), "every payment ends as the rules say");
            // The retention rule: hours after the last settlement, nothing of the settled payments is kept.
            Assert.That(_state.Payments.Keys, Is.Empty, "settled payments are forgotten after the retention period");
            Assert.That(_state.IssuedIdTags.Keys.Concat(_state.CancelledIdTags.Keys), Is.Empty, "their tags are forgotten with them");
            Assert.That(_state.Transactions.Keys, Is.Empty, "their transactions are forgotten with them");
            Assert.That(_state.EarlyStops.Keys, Is.Empty, "early stops whose start never came are forgotten");
            Assert.That(_state.Forgettable, Is.Empty, "nothing waits to be forgotten");
            foreach (var paymentId in _authorized)
            {
                var settled = _settlements.GetValueOrDefault(paymentId);
                if (_cancelled.Contains(paymentId))
                    Assert.That(settled, Is.Zero, $"cancelled payment {paymentId} is never captured or voided");
                else
                    Assert.That(settled, Is.EqualTo(1), $"payment {paymentId} ends in exactly one capture or void");
            }
        }

        private void Deliver(GroupFact fact)
        {
            if (fact is PaymentAuthorizationReported paid)
                _holds.TryAdd(paid.PaymentId, paid.Amount);
            var expected = _model.Apply(fact, _now);
            var events = GroupDecider.Decide(_state, fact, _now, Policy);
            if (expected.Ignored)
                Assert.That(events, Is.Empty, $"{fact}: a stale or repeated status changes nothing");
            var seen = new ReferenceModel.Outcome();
            foreach (var e in events)
            {
                Check(e);
                _state = _state.Evolve(e);
                Record(e, seen);
                Assert.That(_state.Sessions.Values.GroupBy(s => s.PaymentId).All(g => g.Count() == 1), Is.True, "no payment in two sessions");
            }
            Assert.That(seen.Starts, Is.EqualTo(expected.Starts), $"{fact}: start requests (payment on connector)");
            Assert.That(seen.Charging, Is.EqualTo(expected.Charging), $"{fact}: sessions that began charging");
            Assert.That(seen.Settlements, Is.EqualTo(expected.Settlements), $"{fact}: captures and voids");
            Assert.That(seen.Cancellations, Is.EqualTo(expected.Cancellations), $"{fact}: cancellations");
            Assert.That(seen.Stops.Except(expected.MayStop), Is.EqualTo(expected.Stops), $"{fact}: stop requests");
            Assert.That(seen.Expired.Except(expected.MayExpire), Is.EqualTo(expected.Expired), $"{fact}: voids unless settled, for authorizations past the retention period");
            _last = fact;
            _history.Add(fact);
        }

        /// <summary>
        /// The retention rule, beyond the period: every fact of the life delivered again, in its order, a day later. The
        /// group has forgotten the payments; none of the facts may start, charge, settle, cancel or stop anything.
        /// </summary>
        public void DeliverTheLifeAgainBeyondRetention()
        {
            _now = _now.AddDays(1);
            foreach (var fact in _history.ToList())
            {
                var events = GroupDecider.Decide(_state, fact, _now, Policy);
                Assert.That(events.Where(e => e is ChargingStartRequested or ChargingStarted or PaymentCaptureRequested or PaymentVoidRequested
                    or PaymentCancelled or ChargingStopRequested or ChargingOverdue or RemoteStartConfirmedLate or PaymentAuthorizationReceived), Is.Empty,
                    $"{fact}, delivered again beyond the retention period, changes nothing of any payment");
                _state = events.Aggregate(_state, (state, e) => state.Evolve(e));
            }
        }

        // The decider's events in the words of the model.
        private void Record(IGroupEvent e, ReferenceModel.Outcome seen)
        {
            switch (e)
            {
                case PaymentAuthorizationReceived p:
                    _authorized.Add(p.PaymentId);
                    break;
                case ChargingStartRequested s:
                    (_asked.TryGetValue(s.PaymentId, out var asked) ? asked : _asked[s.PaymentId] = []).Add(new ConnectorRef(s.ChargePointId, s.ConnectorId));
                    seen.Starts.Add($"{s.PaymentId} on {new ConnectorRef(s.ChargePointId, s.ConnectorId)}");
                    break;
                case ChargingStarted c:
                    seen.Charging.Add($"{c.PaymentId} charging on {new ConnectorRef(c.ChargePointId, c.ConnectorId)} tx {c.TransactionId} from {c.MeterStartWh} Wh");
                    break;
                case PaymentCaptureRequested c:
                    Settled(c.PaymentId, $"{c.PaymentId} captured {c.AmountMinor} {c.Currency} for {c.EnergyWh} Wh", seen);
                    break;
                case PaymentVoidRequested v:
                    Settled(v.PaymentId, $"{v.PaymentId} voided {v.Reason}", seen);
                    break;
                case PaymentAuthorizationExpired x:
                    seen.Expired.Add(x.PaymentId);
                    break;
                case PaymentCancelled c:
                    seen.Cancellations.Add($"{c.PaymentId} cancelled");
                    _ends[c.PaymentId] = "cancelled";
                    break;
                case ChargingStopRequested r:
                    seen.Stops.Add($"stop {r.PaymentId} {new ConnectorRef(r.ChargePointId, r.ConnectorId)} tx {r.TransactionId}");
                    break;
                case ChargingOverdue o:
                    seen.Stops.Add($"overdue {o.PaymentId} {new ConnectorRef(o.ChargePointId, o.ConnectorId)} tx {o.TransactionId}");
                    break;
            }
        }

        private void Settled(string paymentId, string how, ReferenceModel.Outcome seen)
        {
            seen.Settlements.Add(how);
            _ends[paymentId] = how;
            _settlements[paymentId] = _settlements.GetValueOrDefault(paymentId) + 1;
            Assert.That(_cancelled, Does.Not.Contain(paymentId), "a cancelled payment is never settled");
        }

        // What must hold of the decider's own state when it emits an event.
        private void Check(IGroupEvent e)
        {
            switch (e)
            {
                case ChargingStartRequested start:
                    Assert.That(_state.Waiting(start.PaymentId), Is.Not.Null, $"{start.PaymentId} was waiting when it was matched");
                    Assert.That(_state.Sessions.ContainsKey(new ConnectorRef(start.ChargePointId, start.ConnectorId)), Is.False, "a connector has no session when it is started");
                    Assert.That(_cancelled, Does.Not.Contain(start.PaymentId), "a cancelled payment is never started");
                    Assert.That(_outOfService, Does.Not.Contain(new ConnectorRef(start.ChargePointId, start.ConnectorId)), "a connector out of service is never chosen");
                    break;
                case PaymentCancelled cancelled:
                    _cancelled.Add(cancelled.PaymentId);
                    Assert.That(_settlements.GetValueOrDefault(cancelled.PaymentId), Is.Zero, "a settled payment is not cancelled afterwards");
                    break;
                case ChargingStarted started:
                    var at = new ConnectorRef(started.ChargePointId, started.ConnectorId);
                    Assert.That(Served, Does.Contain(at), "a session charges only on a connector of the topology");
                    Assert.That(_asked.GetValueOrDefault(started.PaymentId), Does.Contain(at), "a session charges only on a connector asked to start for its payment");
                    break;
                case PaymentCaptureRequested capture:
                    // The money invariant, against what the test itself authorized.
                    var hold = _holds[capture.PaymentId];
                    Assert.That(capture.AmountMinor, Is.InRange(1, hold.Minor), $"{capture.PaymentId}: 0 < capture <= hold");
                    Assert.That((capture.Currency, hold.Currency), Is.EqualTo(("EUR", "EUR")), $"{capture.PaymentId}: captured in the hold's currency, which is the tariff's");
                    Assert.That(capture.EnergyWh, Is.InRange(1, 100_000_000_000), $"{capture.PaymentId}: energy is a positive difference of two registers");
                    break;
            }
        }
    }
}
