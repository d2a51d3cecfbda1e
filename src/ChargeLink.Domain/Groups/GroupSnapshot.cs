using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChargeLink.Domain.Groups;

/// <summary>
/// A group's state as plain lists, for keeping beside its stream so that a cold start folds only the events after it
/// (README: snapshots). It is a cache of the fold, never its source: the stream stays whole, and a snapshot of another
/// <see cref="Format"/> than this code's is ignored (the stream is folded from the start instead). Dictionaries are
/// written in key order, so that one state has one snapshot. What can be derived (the order of forgetting) is not kept.
/// </summary>
public sealed record GroupSnapshot(
    int Format,
    IReadOnlyList<Candidate> Candidates,
    IReadOnlyList<WaitingPayment> WaitingPayments,
    IReadOnlyList<Session> Sessions,
    IReadOnlyList<GroupSnapshot.RememberedPayment> Payments,
    IReadOnlyList<GroupSnapshot.StatusSeen> LastStatusAt,
    IReadOnlyList<TransactionStopNoted> EarlyStops,
    IReadOnlyList<GroupSnapshot.TagOwner> CancelledIdTags,
    IReadOnlyList<GroupSnapshot.TagOwner> IssuedIdTags,
    IReadOnlyList<GroupSnapshot.TransactionOwner> Transactions,
    IReadOnlyList<GroupSnapshot.ConnectorReported> Reports,
    IReadOnlyList<GroupSnapshot.ConnectorOutOfService> OutOfService,
    IReadOnlyList<GroupSnapshot.LastAct> LastActs
)
{
    /// <summary>The shape of <see cref="GroupState"/> this code writes and reads; raise it when that shape
    /// changes.</summary>
    // 3: an act's note says whether the station's answer to it was recorded (ActNote.Answered).
    public const int CurrentFormat = 3;

    public sealed record RememberedPayment(string PaymentId, PaymentMemory Memory);

    public sealed record StatusSeen(ConnectorRef Connector, DateTimeOffset At);

    public sealed record TagOwner(string IdTag, string PaymentId);

    public sealed record TransactionOwner(TransactionRef Transaction, string PaymentId);

    public sealed record ConnectorReported(ConnectorRef Connector, ConnectorReport Report);

    public sealed record ConnectorOutOfService(ConnectorRef Connector, OutOfServiceNote Note);

    public sealed record LastAct(ConnectorRef Target, ActNote Act);

    public static GroupSnapshot Of(GroupState state) =>
        new(
            CurrentFormat,
            [.. state.Candidates],
            [.. state.WaitingPayments],
            [
                .. state
                    .Sessions.Values.OrderBy(s => s.Connector.ChargePointId, StringComparer.Ordinal)
                    .ThenBy(s => s.Connector.ConnectorId),
            ],
            [
                .. state
                    .Payments.OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => new RememberedPayment(p.Key, p.Value)),
            ],
            [.. InOrder(state.LastStatusAt).Select(s => new StatusSeen(s.Key, s.Value))],
            [
                .. state
                    .EarlyStops.Values.OrderBy(s => s.ChargePointId, StringComparer.Ordinal)
                    .ThenBy(s => s.TransactionId),
            ],
            [
                .. state
                    .CancelledIdTags.OrderBy(t => t.Key, StringComparer.Ordinal)
                    .Select(t => new TagOwner(t.Key, t.Value)),
            ],
            [
                .. state
                    .IssuedIdTags.OrderBy(t => t.Key, StringComparer.Ordinal)
                    .Select(t => new TagOwner(t.Key, t.Value)),
            ],
            [
                .. state
                    .Transactions.OrderBy(t => t.Key.ChargePointId, StringComparer.Ordinal)
                    .ThenBy(t => t.Key.TransactionId)
                    .Select(t => new TransactionOwner(t.Key, t.Value)),
            ],
            [.. InOrder(state.Reports).Select(r => new ConnectorReported(r.Key, r.Value))],
            [.. InOrder(state.OutOfService).Select(o => new ConnectorOutOfService(o.Key, o.Value))],
            [.. InOrder(state.LastActs).Select(a => new LastAct(a.Key, a.Value))]
        );

    /// <summary>The state this snapshot was taken of.</summary>
    public GroupState ToState()
    {
        if (Format != CurrentFormat)
            throw new InvalidOperationException(
                $"a group snapshot of format {Format} cannot be read by code of format {CurrentFormat}"
            );
        var empty = GroupState.Empty;
        return empty with
        {
            Candidates = [.. Candidates],
            WaitingPayments = [.. WaitingPayments],
            Sessions = Sessions.ToImmutableDictionary(s => s.Connector),
            Payments = empty.Payments.AddRange(Payments.Select(p => KeyValuePair.Create(p.PaymentId, p.Memory))),
            Forgettable = empty.Forgettable.Union(
                Payments
                    .Where(p => p.Memory.RetainedFrom is not null)
                    .Select(p => (p.Memory.RetainedFrom!.Value, p.PaymentId))
            ),
            LastStatusAt = LastStatusAt.ToImmutableDictionary(s => s.Connector, s => s.At),
            EarlyStops = EarlyStops.ToImmutableDictionary(s => new TransactionRef(s.ChargePointId, s.TransactionId)),
            CancelledIdTags = empty.CancelledIdTags.AddRange(
                CancelledIdTags.Select(t => KeyValuePair.Create(t.IdTag, t.PaymentId))
            ),
            IssuedIdTags = empty.IssuedIdTags.AddRange(
                IssuedIdTags.Select(t => KeyValuePair.Create(t.IdTag, t.PaymentId))
            ),
            Transactions = Transactions.ToImmutableDictionary(t => t.Transaction, t => t.PaymentId),
            Reports = Reports.ToImmutableDictionary(r => r.Connector, r => r.Report),
            OutOfService = OutOfService.ToImmutableDictionary(o => o.Connector, o => o.Note),
            LastActs = LastActs.ToImmutableDictionary(a => a.Target, a => a.Act),
        };
    }

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The snapshot as the text kept beside the stream.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The snapshot in <paramref name="json"/>, or null when it is of another format than this
    /// code's.</summary>
    public static GroupSnapshot? FromJson(string json)
    {
        var snapshot = JsonSerializer.Deserialize<GroupSnapshot>(json, Json)
            ?? throw new JsonException("a group snapshot that is null");
        return snapshot.Format == CurrentFormat ? snapshot : null;
    }

    private static IEnumerable<KeyValuePair<ConnectorRef, T>> InOrder<T>(
        IEnumerable<KeyValuePair<ConnectorRef, T>> entries
    ) => entries.OrderBy(e => e.Key.ChargePointId, StringComparer.Ordinal).ThenBy(e => e.Key.ConnectorId);
}
