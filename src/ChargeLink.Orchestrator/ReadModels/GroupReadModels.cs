using ChargeLink.Domain.Audit;
using ChargeLink.Domain.Groups;
using ChargeLink.Orchestrator.EventStore;
using ChargeLink.Orchestrator.Sagas;
using Marten;

namespace ChargeLink.Orchestrator.ReadModels;

/// <summary>
/// Keeps each group's <see cref="GroupSummary"/> and each payment's <see cref="PaymentRecord"/> up to date with the
/// events appended, in the same transaction. They are conveniences for reads; `chargelink audit replay` rebuilds
/// them from the events alone and reports any difference.
/// </summary>
public sealed class GroupReadModels : ISagaProjection<StationGroupSaga>
{
    public static void Configure(StoreOptions options)
    {
        options.Schema.For<GroupSummary>().Identity(g => g.GroupId).DocumentAlias("group_summary");
        options.Schema.For<PaymentRecord>().Identity(p => p.PaymentId).DocumentAlias("payment_record")
            .Index(p => p.StreamId).Index(p => p.StartedAt!);
    }

    public async Task Project(IDocumentSession session, StationGroupSaga saga, IReadOnlyList<object> events, CancellationToken cancellation)
    {
        var groupEvents = events.Cast<IGroupEvent>().ToList();
        var summary = await session.LoadAsync<GroupSummary>(saga.GroupId, cancellation) ?? GroupSummary.Empty(saga.GroupId, saga.CorrelationId);
        foreach (var e in groupEvents)
            summary = GroupSummaries.Evolve(summary, e);
        session.Store(GroupSummaries.WithState(summary, saga.State));

        var paymentIds = groupEvents.Select(PaymentRecords.PaymentOf).OfType<string>().Distinct().ToArray();
        if (paymentIds.Length == 0)
            return;
        var payments = (await session.LoadManyAsync<PaymentRecord>(cancellation, paymentIds)).ToDictionary(p => p.PaymentId);
        foreach (var e in groupEvents)
        {
            if (PaymentRecords.PaymentOf(e) is not { } paymentId)
                continue;
            if (PaymentRecords.Evolve(payments.GetValueOrDefault(paymentId), saga.CorrelationId, saga.GroupId, e) is { } evolved)
                payments[paymentId] = evolved;
        }
        foreach (var payment in payments.Values)
            session.Store(payment);
    }
}
