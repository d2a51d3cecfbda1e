using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;
using FsCheck;
using FsCheck.Fluent;

namespace ChargeLink.UnitTests.Domain;

/// <summary>
/// Random lives of one group through the pure decider: plugs and unplugs with every OCPP status and station clocks that
/// are wrong, payments from two terminals with several amounts and currencies, cancellations before and after the start
/// request, station answers, starts, stops that overtake their start, zero energy and energy beyond the hold, repeats,
/// late (reordered) deliveries and the passing of time.
/// What is expected is worked out here from the facts the test itself generated — the times it delivered them, the
/// amounts it authorized, the meter values it sent — never from the decider's own lists or fields:
/// the connector chosen is the one occupied earliest (by the time ChargeLink received its Preparing) among those the
/// payment may use; the payment served is the earliest received that can be served; a status older than one already
/// applied changes nothing; a capture is exactly energy x tariff rounded half up, capped at the hold; a session without
/// energy, or whose price rounds to nothing, is voided for that reason; a cancelled payment is never settled; and at the
/// end every payment not cancelled ends in exactly one capture or void.
/// </summary>
public sealed class GroupInvariantProperties
{
    private const long PricePerKwh = 45;
    private static readonly GroupPolicy Policy = new(new Tariff(PricePerKwh, "EUR"), TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120));
    private static readonly ConnectorRef[] Connectors = [new("CP-1", 1), new("CP-1", 2), new("CP-2", 1)];
    private static readonly string[] Payments = ["p0", "p1", "p2", "p3", "p4"];
    private static readonly long[] Amounts = [1, 100, 5000, 100_000];
    private static readonly string[] Currencies = ["EUR", "SEK"];
    private static readonly string[] Terminals = ["TERM-1", "TERM-2"];

    // Wh delivered by a stop: none, one (rounds to no price), some, and more than a 5,000 hold buys (111,112 Wh and up).
    private static readonly long[] Energies = [0, 1, 500, 27_420, 200_000];

    public enum StepKind { Status, Plug, Unplug, Pay, Cancel, Answer, StartTransaction, StartByRfid, Stop, StopEarly, Wait, Repeat, Late }

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
                    (1, Gen.Constant(StepKind.StopEarly)), (2, Gen.Constant(StepKind.Wait)), (2, Gen.Constant(StepKind.Repeat)), (2, Gen.Constant(StepKind.Late)))
                from connector in Gen.Choose(0, Connectors.Length - 1)
                from payment in Gen.Choose(0, Payments.Length - 1)
                from outcome in Gen.Elements(RemoteStartOutcome.Accepted, RemoteStartOutcome.Accepted, RemoteStartOutcome.Rejected, RemoteStartOutcome.Offline, RemoteStartOutcome.TimedOut, RemoteStartOutcome.Failed)
                from seconds in Gen.Elements(1, 5, 30, 70, 130, 200)
                from status in Gen.Elements(Enum.GetValues<ConnectorStatus>())
                from variant in Gen.Choose(0, 19)
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
    [FsCheck.NUnit.Property(Arbitrary = new[] { typeof(Scenarios) }, MaxTest = 1000, EndSize = 60)]
    public void The_rules_hold_for_any_life_of_a_group(Scenario scenario)
    {
        var run = new Run();
        foreach (var step in scenario.Steps)
            run.Apply(step);
        run.Finish();
    }
#pragma warning restore NUnit1027

    /// <summary>What the test knows of the group from what it sent and what the decider answered, kept apart from GroupState.</summary>
    private sealed class Run
    {
        private GroupState _state = GroupState.Empty;
        private DateTimeOffset _now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        private GroupFact? _last;
        private readonly List<GroupFact> _history = [];

        // From the facts the test generated.
        private readonly Dictionary<string, (long Amount, string Currency)> _held = [];
        private readonly Dictionary<(string ChargePointId, int TransactionId), long> _meterStart = [];
        private readonly Dictionary<(string ChargePointId, int TransactionId), long> _meterStop = [];

        // From the events, by the time of the fact that caused them.
        private readonly Dictionary<ConnectorRef, DateTimeOffset> _occupiedAt = [];
        private readonly Dictionary<ConnectorRef, DateTimeOffset> _lastStatusAt = [];
        private readonly Dictionary<string, DateTimeOffset> _receivedAt = [];
        private readonly Dictionary<string, (string ChargePointId, int TransactionId)> _transactionOf = [];
        private readonly Dictionary<string, int> _settlements = [];
        private readonly HashSet<string> _authorized = [];
        private readonly HashSet<string> _cancelled = [];
        private int _nextTransaction = 1;

        public void Apply(Step step)
        {
            _now = _now.AddSeconds(1);
            var connector = Connectors[step.Connector];
            var paymentId = Payments[step.Payment];
            var session = _state.SessionOf(paymentId);
            GroupFact? fact = step.Kind switch
            {
                StepKind.Status => new ConnectorStatusReported(connector, step.Status, StationClock(step), _now),
                StepKind.Plug => new ConnectorStatusReported(connector, ConnectorStatus.Preparing, StationClock(step), _now),
                StepKind.Unplug => new ConnectorStatusReported(connector, ConnectorStatus.Available, StationClock(step), _now),
                StepKind.Pay => new PaymentAuthorizationArrived(paymentId, Terminals[step.Variant % 2], new Money(Amounts[step.Variant % Amounts.Length], Currencies[step.Variant / 10]), _now, _now),
                StepKind.Cancel => new PaymentCancellationArrived(paymentId, _now),
                StepKind.Answer => new RemoteStartAnswered(paymentId, session?.Connector ?? connector, step.Outcome, _now),
                StepKind.StartTransaction => Start(session?.Connector ?? connector, IdTag.ForPayment(paymentId), TransactionFor(paymentId, session?.Connector ?? connector), step.Variant * 100),
                StepKind.StartByRfid => Start(connector, "RFID-CARD", 900 + _nextTransaction++, 0),
                StepKind.Stop => session?.TransactionId is { } tx ? Stop(session.Connector, tx, step) : null,
                // The StopTransaction of a transaction whose start has not reached the group yet.
                StepKind.StopEarly => session is { Phase: not SessionPhase.Charging } ? Stop(session.Connector, TransactionFor(paymentId, session.Connector), step) : null,
                StepKind.Wait => new ClockTicked(_now = _now.AddSeconds(step.Seconds)),
                StepKind.Repeat => _last,
                // An earlier fact delivered again, out of order.
                StepKind.Late => _history.Count == 0 ? null : _history[(step.Connector * 7 + step.Payment * 3 + step.Seconds) % _history.Count],
                _ => null,
            };
            if (fact is null)
                return;
            if (fact is PaymentAuthorizationArrived arrived && !_held.ContainsKey(arrived.PaymentId) && !_cancelled.Contains(arrived.PaymentId))
            {
                _held[arrived.PaymentId] = (arrived.Amount.Minor, arrived.Amount.Currency);
                _authorized.Add(arrived.PaymentId);
            }
            Decide(fact);
            _last = fact;
            _history.Add(fact);
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

        private TransactionStartReported Start(ConnectorRef connector, string idTag, int transactionId, long meterStart)
        {
            _meterStart.TryAdd((connector.ChargePointId, transactionId), meterStart);
            return new TransactionStartReported(connector, idTag, transactionId, _meterStart[(connector.ChargePointId, transactionId)], _now);
        }

        private TransactionStopReported Stop(ConnectorRef connector, int transactionId, Step step)
        {
            var key = (connector.ChargePointId, transactionId);
            var meterStart = _meterStart.TryGetValue(key, out var known) ? known : _state.Sessions.GetValueOrDefault(connector)?.MeterStartWh ?? step.Variant * 100;
            _meterStart.TryAdd(key, meterStart);
            _meterStop.TryAdd(key, meterStart + Energies[step.Variant % Energies.Length]);
            return new TransactionStopReported(connector.ChargePointId, transactionId, _meterStop[key], _now);
        }

        /// <summary>Every session stops, then time runs out for everything else.</summary>
        public void Finish()
        {
            for (var round = 0; round < 2; round++)
            {
                foreach (var session in _state.Sessions.Values.Where(s => s.Phase == SessionPhase.Charging).ToList())
                {
                    var key = (session.Connector.ChargePointId, session.TransactionId!.Value);
                    _meterStart.TryAdd(key, session.MeterStartWh!.Value);
                    _meterStop.TryAdd(key, _meterStart[key] + 500);
                    Decide(new TransactionStopReported(key.ChargePointId, key.Value, _meterStop[key], _now));
                }
                for (var i = 0; i < 4; i++)
                    Decide(new ClockTicked(_now = _now.AddHours(1)));
            }

            Assert.That(_state.WaitingPayments, Is.Empty, "no payment waits forever");
            foreach (var paymentId in _authorized)
            {
                var settled = _settlements.GetValueOrDefault(paymentId);
                if (_cancelled.Contains(paymentId))
                    Assert.That(settled, Is.Zero, $"cancelled payment {paymentId} is never captured or voided");
                else
                    Assert.That(settled, Is.EqualTo(1), $"payment {paymentId} ends in exactly one capture or void");
            }
        }

        private void Decide(GroupFact fact)
        {
            var events = GroupDecider.Decide(_state, fact, _now, Policy);
            if (fact is ConnectorStatusReported status && _lastStatusAt.TryGetValue(status.Connector, out var applied) && status.ReceivedAt < applied)
                Assert.That(events, Is.Empty, $"a status received at {status.ReceivedAt:T}, older than one applied at {applied:T}, changes nothing");
            foreach (var e in events)
            {
                Check(e);
                _state = _state.Evolve(e);
                Record(e);
                Assert.That(_state.Sessions.Values.GroupBy(s => s.PaymentId).All(g => g.Count() == 1), Is.True, "no payment in two sessions");
            }
        }

        private void Record(IGroupEvent e)
        {
            switch (e)
            {
                case ConnectorOccupied o:
                    var occupied = new ConnectorRef(o.ChargePointId, o.ConnectorId);
                    _occupiedAt[occupied] = o.OccupiedAt;
                    Seen(occupied, o.OccupiedAt);
                    break;
                case ConnectorVacated v:
                    Seen(new ConnectorRef(v.ChargePointId, v.ConnectorId), v.At);
                    break;
                case ConnectorStatusNoted n:
                    Seen(new ConnectorRef(n.ChargePointId, n.ConnectorId), n.At);
                    break;
                case PaymentAuthorizationReceived p:
                    _receivedAt[p.PaymentId] = p.ReceivedAt;
                    break;
                case ChargingStarted c:
                    _transactionOf[c.PaymentId] = (c.ChargePointId, c.TransactionId);
                    break;
            }
        }

        private void Seen(ConnectorRef connector, DateTimeOffset at)
        {
            if (!_lastStatusAt.TryGetValue(connector, out var last) || at > last)
                _lastStatusAt[connector] = at;
        }

        private void Check(IGroupEvent e)
        {
            switch (e)
            {
                case ChargingStartRequested start:
                    var connector = new ConnectorRef(start.ChargePointId, start.ConnectorId);
                    var payment = _state.Waiting(start.PaymentId);
                    Assert.That(payment, Is.Not.Null, $"{start.PaymentId} was waiting when it was matched");
                    Assert.That(_state.Sessions.ContainsKey(connector), Is.False, $"{connector} has no session when it is started");
                    Assert.That(_cancelled, Does.Not.Contain(start.PaymentId), "a cancelled payment is never started");
                    // Rule 6 by the times the test delivered: the earliest-occupied usable connector, the earliest-received payment.
                    var usable = _state.Candidates.Where(c => payment!.MayUse(c.Connector)).Select(c => c.Connector).ToList();
                    var earliest = usable.Min(c => _occupiedAt[c]);
                    Assert.That(_occupiedAt[connector], Is.EqualTo(earliest), $"{connector} occupied {_occupiedAt[connector]:T} was chosen; {string.Join(", ", usable.Select(c => $"{c} {_occupiedAt[c]:T}"))} could be used");
                    var servable = _state.WaitingPayments.Where(p => _state.Candidates.Exists(c => p.MayUse(c.Connector))).Select(p => p.PaymentId).ToList();
                    Assert.That(_receivedAt[start.PaymentId], Is.EqualTo(servable.Min(p => _receivedAt[p])), $"{start.PaymentId} was served; {string.Join(", ", servable.Select(p => $"{p} {_receivedAt[p]:T}"))} could be");
                    break;
                case PaymentCaptureRequested capture:
                    var (energy, held) = EnergyAndHold(capture.PaymentId);
                    var price = ((energy * PricePerKwh) + 500) / 1000;
                    Assert.That(capture.AmountMinor, Is.EqualTo(Math.Min(price, held.Amount)), $"{energy} Wh x {PricePerKwh} per kWh, at most the {held.Amount} held");
                    Assert.That((capture.EnergyWh, capture.Currency), Is.EqualTo((energy, held.Currency)));
                    Count(capture.PaymentId);
                    break;
                case PaymentVoidRequested voided:
                    if (voided.Reason is VoidReason.NoEnergyDelivered or VoidReason.NothingToCapture)
                    {
                        var (delivered, _) = EnergyAndHold(voided.PaymentId);
                        Assert.That(voided.Reason, Is.EqualTo(delivered == 0 ? VoidReason.NoEnergyDelivered : VoidReason.NothingToCapture), $"{delivered} Wh delivered");
                        Assert.That((delivered * PricePerKwh) + 500, Is.LessThan(1000), "voided only when the price rounds to nothing");
                    }
                    Count(voided.PaymentId);
                    break;
                case PaymentCancelled cancelled:
                    _cancelled.Add(cancelled.PaymentId);
                    Assert.That(_settlements.GetValueOrDefault(cancelled.PaymentId), Is.Zero, "a settled payment is not cancelled afterwards");
                    break;
            }
        }

        // The energy the test's own meter values give the payment's transaction, and what the test authorized.
        private (long Energy, (long Amount, string Currency) Held) EnergyAndHold(string paymentId)
        {
            var transaction = _transactionOf[paymentId];
            return (Math.Max(0, _meterStop[transaction] - _meterStart[transaction]), _held[paymentId]);
        }

        private void Count(string paymentId)
        {
            _settlements[paymentId] = _settlements.GetValueOrDefault(paymentId) + 1;
            Assert.That(_cancelled, Does.Not.Contain(paymentId), "a cancelled payment is never settled");
        }
    }
}
