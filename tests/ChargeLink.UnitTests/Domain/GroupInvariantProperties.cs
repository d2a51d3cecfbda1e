using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;
using FsCheck;
using FsCheck.Fluent;

namespace ChargeLink.UnitTests.Domain;

/// <summary>
/// Random interleavings of occupancies, unplugs, faults, payments, cancellations, duplicates, late (reordered)
/// deliveries, station answers, starts, stops and the passing of time at one group, through the pure decider. After every step: no connector
/// with two sessions, no payment in two sessions, every match takes the earliest candidate it may use. At the
/// end, once every session has stopped and every deadline passed: each payment that was not cancelled ended in
/// exactly one capture or void, and a cancelled one in none.
/// </summary>
public sealed class GroupInvariantProperties
{
    private static readonly GroupPolicy Policy = new(new Tariff(45, "EUR"), TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120));
    private static readonly ConnectorRef[] Connectors = [new("CP-1", 1), new("CP-1", 2), new("CP-2", 1)];
    private static readonly string[] Payments = ["p0", "p1", "p2", "p3", "p4"];

    public enum StepKind { Plug, Unplug, Fault, Pay, Cancel, Answer, StartTransaction, StartByRfid, Stop, Wait, Repeat, Late }

    public sealed record Step(StepKind Kind, int Connector, int Payment, RemoteStartOutcome Outcome, int Seconds)
    {
        public override string ToString() => $"{Kind}(c{Connector} p{Payment} {Outcome} {Seconds}s)";
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
                    (4, Gen.Constant(StepKind.Plug)), (2, Gen.Constant(StepKind.Unplug)), (1, Gen.Constant(StepKind.Fault)),
                    (4, Gen.Constant(StepKind.Pay)), (1, Gen.Constant(StepKind.Cancel)), (4, Gen.Constant(StepKind.Answer)),
                    (3, Gen.Constant(StepKind.StartTransaction)), (1, Gen.Constant(StepKind.StartByRfid)), (3, Gen.Constant(StepKind.Stop)),
                    (2, Gen.Constant(StepKind.Wait)), (2, Gen.Constant(StepKind.Repeat)), (2, Gen.Constant(StepKind.Late)))
                from connector in Gen.Choose(0, Connectors.Length - 1)
                from payment in Gen.Choose(0, Payments.Length - 1)
                from outcome in Gen.Elements(RemoteStartOutcome.Accepted, RemoteStartOutcome.Accepted, RemoteStartOutcome.Rejected, RemoteStartOutcome.Offline, RemoteStartOutcome.TimedOut, RemoteStartOutcome.Failed)
                from seconds in Gen.Elements(1, 5, 30, 70, 130, 200)
                select new Step(kind, connector, payment, outcome, seconds);
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
    public void The_invariants_hold_for_any_interleaving(Scenario scenario)
    {
        var run = new Run();
        foreach (var step in scenario.Steps)
            run.Apply(step);
        run.Finish();
    }
#pragma warning restore NUnit1027

    private sealed class Run
    {
        private GroupState _state = GroupState.Empty;
        private DateTimeOffset _now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        private GroupFact? _last;
        private readonly List<GroupFact> _history = [];
        private int _nextTransaction = 1;
        private readonly Dictionary<string, int> _settlements = [];
        private readonly HashSet<string> _authorized = [];
        private readonly HashSet<string> _cancelled = [];

        public void Apply(Step step)
        {
            _now = _now.AddSeconds(1);
            var connector = Connectors[step.Connector];
            var paymentId = Payments[step.Payment];
            var session = _state.SessionOf(paymentId);
            GroupFact? fact = step.Kind switch
            {
                StepKind.Plug => new ConnectorStatusReported(connector, ConnectorStatus.Preparing, null, _now),
                StepKind.Unplug => new ConnectorStatusReported(connector, ConnectorStatus.Available, null, _now),
                StepKind.Fault => new ConnectorStatusReported(connector, ConnectorStatus.Faulted, null, _now),
                StepKind.Pay => new PaymentAuthorizationArrived(paymentId, "TERM-1", new Money(5000, "EUR"), _now, _now),
                StepKind.Cancel => new PaymentCancellationArrived(paymentId, _now),
                StepKind.Answer => new RemoteStartAnswered(paymentId, session?.Connector ?? connector, step.Outcome, _now),
                StepKind.StartTransaction => new TransactionStartReported(session?.Connector ?? connector, IdTag.ForPayment(paymentId), _nextTransaction++, 1000, _now),
                StepKind.StartByRfid => new TransactionStartReported(connector, "RFID-CARD", _nextTransaction++, 0, _now),
                StepKind.Stop => session?.TransactionId is { } tx ? new TransactionStopReported(session.Connector.ChargePointId, tx, 1000 + (step.Seconds * 100), _now) : null,
                StepKind.Wait => new ClockTicked(_now = _now.AddSeconds(step.Seconds)),
                StepKind.Repeat => _last,
                // An earlier fact delivered again, out of order.
                StepKind.Late => _history.Count == 0 ? null : _history[(step.Connector * 7 + step.Payment * 3 + step.Seconds) % _history.Count],
                _ => null,
            };
            if (fact is null)
                return;
            if (fact is PaymentAuthorizationArrived arrived && !_cancelled.Contains(arrived.PaymentId))
                _authorized.Add(arrived.PaymentId);
            Decide(fact);
            _last = fact;
            _history.Add(fact);
        }

        /// <summary>Every session stops, then time runs out for everything else.</summary>
        public void Finish()
        {
            foreach (var session in _state.Sessions.Values.Where(s => s.Phase == SessionPhase.Charging).ToList())
                Decide(new TransactionStopReported(session.Connector.ChargePointId, session.TransactionId!.Value, session.MeterStartWh!.Value + 500, _now));
            for (var i = 0; i < 4; i++)
                Decide(new ClockTicked(_now = _now.AddHours(1)));
            foreach (var session in _state.Sessions.Values.Where(s => s.Phase == SessionPhase.Charging).ToList())
                Decide(new TransactionStopReported(session.Connector.ChargePointId, session.TransactionId!.Value, session.MeterStartWh!.Value + 500, _now));

            Assert.That(_state.Sessions, Is.Empty, "every session ended");
            Assert.That(_state.WaitingPayments, Is.Empty, "no payment waits forever");
            foreach (var paymentId in _authorized)
            {
                var settled = _settlements.GetValueOrDefault(paymentId);
                if (_cancelled.Contains(paymentId) && settled == 0)
                    continue;
                Assert.That(settled, Is.EqualTo(1), $"payment {paymentId} ends in exactly one capture or void");
            }
        }

        private void Decide(GroupFact fact)
        {
            var events = GroupDecider.Decide(_state, fact, _now, Policy);
            foreach (var e in events)
            {
                Check(e);
                _state = _state.Evolve(e);
                Assert.That(_state.Sessions.Values.GroupBy(s => s.PaymentId).All(g => g.Count() == 1), Is.True, "no payment in two sessions");
            }
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
                    Assert.That(_state.SettledPayments, Does.Not.Contain(start.PaymentId), "a settled payment is never started");
                    var earliest = _state.Candidates.Find(c => payment!.MayUse(c.Connector));
                    Assert.That(earliest?.Connector, Is.EqualTo(connector), "the earliest-occupied candidate the payment may use is chosen");
                    var firstServed = _state.WaitingPayments.Find(p => _state.Candidates.Exists(c => p.MayUse(c.Connector)));
                    Assert.That(firstServed?.PaymentId, Is.EqualTo(start.PaymentId), "the first payment that can be served is served");
                    break;
                case PaymentCaptureRequested capture:
                    Assert.That(capture.AmountMinor, Is.InRange(1, 5000), "a capture is positive and never above the hold");
                    _settlements[capture.PaymentId] = _settlements.GetValueOrDefault(capture.PaymentId) + 1;
                    break;
                case PaymentVoidRequested voided:
                    _settlements[voided.PaymentId] = _settlements.GetValueOrDefault(voided.PaymentId) + 1;
                    break;
                case PaymentCancelled cancelled:
                    _cancelled.Add(cancelled.PaymentId);
                    Assert.That(_settlements.GetValueOrDefault(cancelled.PaymentId), Is.Zero, "a settled payment is not cancelled afterwards");
                    break;
            }
        }
    }
}
