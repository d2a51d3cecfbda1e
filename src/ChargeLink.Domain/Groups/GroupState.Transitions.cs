using ForgettableSet = System.Collections.Immutable.ImmutableSortedSet<(System.DateTimeOffset From, string PaymentId)>;

namespace ChargeLink.Domain.Groups;

public sealed partial record GroupState
{
    // The tags stations were given for a payment (one, or two in a stream that spans a change of the tag's key).
    private ImmutableArray<string> TagsOf(string paymentId) =>
        Payments.TryGetValue(paymentId, out var memory) ? memory.Tags : [];

    private PaymentMemory MemoryOf(string paymentId) =>
        Payments.GetValueOrDefault(paymentId) ?? new PaymentMemory(null, null, [], []);

    // Every change of a payment's memory goes through here, so that the order of forgetting follows it. Each event's
    // transition makes one copy of the state: helpers like this one return the collections they change, not a state.
    private (ImmutableDictionary<string, PaymentMemory> Payments, ForgettableSet Forgettable) Remembered(
        string paymentId,
        PaymentMemory memory
    )
    {
        var before = Payments.GetValueOrDefault(paymentId);
        if (ReferenceEquals(before, memory))
            return (Payments, Forgettable);
        var forgettable = Forgettable;
        if (before?.RetainedFrom != memory.RetainedFrom)
        {
            if (before?.RetainedFrom is { } was)
                forgettable = forgettable.Remove((was, paymentId));
            if (memory.RetainedFrom is { } from)
                forgettable = forgettable.Add((from, paymentId));
        }
        return (Payments.SetItem(paymentId, memory), forgettable);
    }

    // A transaction is the payment's from its start, or from the stop request of a transaction started with its tag.
    private (
        ImmutableDictionary<TransactionRef, string> Transactions,
        ImmutableDictionary<string, PaymentMemory> Payments,
        ForgettableSet Forgettable
    ) Transacted(string paymentId, TransactionRef transaction)
    {
        var transactions = Transactions.SetItem(transaction, paymentId);
        if (!Payments.TryGetValue(paymentId, out var memory) || memory.Transactions.Contains(transaction))
            return (transactions, Payments, Forgettable);
        var (payments, forgettable) = Remembered(
            paymentId,
            memory with
            {
                Transactions = memory.Transactions.Add(transaction),
            }
        );
        return (transactions, payments, forgettable);
    }

    // The retention rule: a settled payment no message can still name is forgotten with its tags and transactions, and
    // an early stop whose start never came with it.
    private GroupState Forget(PaymentsForgotten e)
    {
        var (payments, forgettable, issued, cancelled, transactions) = (
            Payments.ToBuilder(),
            Forgettable.ToBuilder(),
            IssuedIdTags.ToBuilder(),
            CancelledIdTags.ToBuilder(),
            Transactions.ToBuilder()
        );
        foreach (var paymentId in e.PaymentIds)
        {
            if (!payments.Remove(paymentId, out var memory))
                continue;
            if (memory.RetainedFrom is { } from)
                forgettable.Remove((from, paymentId));
            foreach (var tag in memory.Tags)
            {
                if (issued.TryGetValue(tag, out var owner) && owner == paymentId)
                    issued.Remove(tag);
                if (cancelled.TryGetValue(tag, out owner) && owner == paymentId)
                    cancelled.Remove(tag);
            }
            foreach (var transaction in memory.Transactions)
            {
                if (transactions.TryGetValue(transaction, out var owner) && owner == paymentId)
                    transactions.Remove(transaction);
            }
        }
        return this with
        {
            Payments = payments.ToImmutable(),
            Forgettable = forgettable.ToImmutable(),
            IssuedIdTags = issued.ToImmutable(),
            CancelledIdTags = cancelled.ToImmutable(),
            Transactions = transactions.ToImmutable(),
            EarlyStops = EarlyStops.RemoveRange(e.EarlyStops),
        };
    }

    // A repeat of the current status keeps its Since and what charged on it; a new status starts afresh.
    private ImmutableDictionary<ConnectorRef, ConnectorReport> Reported(
        ConnectorRef connector,
        ConnectorStatus status,
        DateTimeOffset at
    ) =>
        Reports.TryGetValue(connector, out var current) && current.Status == status
            ? Reports
            : Reports.SetItem(connector, new ConnectorReport(status, at, Charged: false));

    private ImmutableDictionary<ConnectorRef, DateTimeOffset> StatusSeen(ConnectorRef connector, DateTimeOffset at) =>
        LastStatusAt.TryGetValue(connector, out var last) && last > at
            ? LastStatusAt
            : LastStatusAt.SetItem(connector, at);

    // Rule 6 keeps candidates in order of occupancy, and a payment that waits again goes back to its place by
    // arrival; equal times keep their order of arrival. The keys are static lambdas: nothing is allocated for them.
    private static ImmutableArray<Candidate> InsertByOccupancy(
        ImmutableArray<Candidate> candidates,
        Candidate candidate
    ) => InsertInOrder(candidates, candidate, static c => c.OccupiedAt);

    private static ImmutableArray<WaitingPayment> InsertByArrival(
        ImmutableArray<WaitingPayment> payments,
        WaitingPayment payment
    ) => InsertInOrder(payments, payment, static p => p.ReceivedAt);

    private static ImmutableArray<T> InsertInOrder<T>(ImmutableArray<T> items, T item, Func<T, DateTimeOffset> time)
    {
        var index = 0;
        foreach (var other in items)
        {
            if (time(other) > time(item))
                return items.Insert(index, item);
            index++;
        }
        return items.Add(item);
    }

    // The list itself, not a copy, when nothing in it matches, as is mostly the case.
    private static ImmutableArray<Candidate> Without(ImmutableArray<Candidate> candidates, ConnectorRef connector) =>
        Without(candidates, connector, static (c, connector) => c.Connector == connector);

    private static ImmutableArray<WaitingPayment> Without(ImmutableArray<WaitingPayment> payments, string paymentId) =>
        Without(payments, paymentId, static (p, paymentId) => p.PaymentId == paymentId);

    private static ImmutableArray<T> Without<T, TKey>(ImmutableArray<T> items, TKey key, Func<T, TKey, bool> matches)
    {
        foreach (var item in items)
        {
            if (matches(item, key))
                return items.RemoveAll(other => matches(other, key));
        }
        return items;
    }

    private GroupState Occupied(ConnectorOccupied e)
    {
        var connector = new ConnectorRef(e.ChargePointId, e.ConnectorId);
        return this with
        {
            Candidates = InsertByOccupancy(Without(Candidates, connector), new Candidate(connector, e.OccupiedAt)),
            LastStatusAt = StatusSeen(connector, e.OccupiedAt),
            Reports = Reported(connector, ConnectorStatus.Preparing, e.OccupiedAt),
        };
    }

    private GroupState Vacated(ConnectorVacated e)
    {
        var connector = new ConnectorRef(e.ChargePointId, e.ConnectorId);
        return this with
        {
            Candidates = Without(Candidates, connector),
            LastStatusAt = StatusSeen(connector, e.At),
            Reports = Reported(connector, e.Status, e.At),
        };
    }

    private GroupState Authorized(PaymentAuthorizationReceived e)
    {
        var (payments, forgettable) = Remembered(
            e.PaymentId,
            MemoryOf(e.PaymentId) with
            {
                AuthorizedAt = e.AuthorizedAt,
            }
        );
        return this with
        {
            WaitingPayments = WaitingPayments.Add(
                new WaitingPayment(
                    e.PaymentId,
                    e.TerminalId,
                    new Money(e.AmountMinor, e.Currency),
                    e.ReceivedAt,
                    [],
                    0,
                    PricePerKwhMinor: e.PricePerKwhMinor
                )
            ),
            Payments = payments,
            Forgettable = forgettable,
        };
    }

    // A settled payment is out of every queue: a capture or void ends it, and so does a cancellation. From then on it
    // waits to be forgotten (the first settlement counts, should an old stream hold two).
    private GroupState Settle(string paymentId, DateTimeOffset at)
    {
        var session = SessionOf(paymentId);
        var memory = MemoryOf(paymentId);
        var (payments, forgettable) = Remembered(
            paymentId,
            memory.SettledAt is null ? memory with { SettledAt = at } : memory
        );
        return this with
        {
            WaitingPayments = Without(WaitingPayments, paymentId),
            Sessions = session is null ? Sessions : Sessions.Remove(session.Connector),
            Payments = payments,
            Forgettable = forgettable,
        };
    }
}
