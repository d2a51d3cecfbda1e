using System.Collections.Immutable;

namespace ChargeLink.Domain.Groups;

/// <summary>A connector that is occupied and waits for a payment.</summary>
public sealed record Candidate(ConnectorRef Connector, DateTimeOffset OccupiedAt);

/// <summary>An authorized payment that waits for a connector.</summary>
public sealed record WaitingPayment(string PaymentId, string TerminalId, Money Amount, DateTimeOffset ReceivedAt);

/// <summary>A connector the group asked to start for a payment.</summary>
public sealed record StartingSession(string PaymentId, ConnectorRef Connector, string IdTag, DateTimeOffset RequestedAt);

/// <summary>
/// A station group's state: nothing but the fold of its events (<see cref="Evolve"/>).
/// Candidates are kept in order of occupancy and payments in order of arrival, so the first of each is the next match.
/// </summary>
public sealed record GroupState(
    ImmutableList<Candidate> Candidates,
    ImmutableList<WaitingPayment> WaitingPayments,
    ImmutableDictionary<ConnectorRef, StartingSession> Sessions,
    ImmutableHashSet<string> KnownPayments)
{
    public static readonly GroupState Empty = new([], [], ImmutableDictionary<ConnectorRef, StartingSession>.Empty, ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal));

    public static GroupState Fold(IEnumerable<IGroupEvent> events) => events.Aggregate(Empty, (state, e) => state.Evolve(e));

    public bool IsCandidate(ConnectorRef connector) => Candidates.Exists(c => c.Connector == connector);

    public GroupState Evolve(IGroupEvent @event) => @event switch
    {
        ConnectorOccupied e => this with { Candidates = InsertByOccupancy(new Candidate(new ConnectorRef(e.ChargePointId, e.ConnectorId), e.OccupiedAt)) },
        ConnectorVacated e => this with
        {
            Candidates = Candidates.RemoveAll(c => c.Connector == new ConnectorRef(e.ChargePointId, e.ConnectorId)),
        },
        PaymentAuthorizationReceived e => this with
        {
            WaitingPayments = WaitingPayments.Add(new WaitingPayment(e.PaymentId, e.TerminalId, new Money(e.AmountMinor, e.Currency), e.ReceivedAt)),
            KnownPayments = KnownPayments.Add(e.PaymentId),
        },
        ChargingStartRequested e => StartRequested(e),
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "an event this state does not know"),
    };

    // Rule 6 keeps candidates in order of occupancy; equal times keep their order of arrival.
    private ImmutableList<Candidate> InsertByOccupancy(Candidate candidate)
    {
        var index = Candidates.FindIndex(c => c.OccupiedAt > candidate.OccupiedAt);
        return index < 0 ? Candidates.Add(candidate) : Candidates.Insert(index, candidate);
    }

    private GroupState StartRequested(ChargingStartRequested e)
    {
        var connector = new ConnectorRef(e.ChargePointId, e.ConnectorId);
        return this with
        {
            Candidates = Candidates.RemoveAll(c => c.Connector == connector),
            WaitingPayments = WaitingPayments.RemoveAll(p => p.PaymentId == e.PaymentId),
            Sessions = Sessions.SetItem(connector, new StartingSession(e.PaymentId, connector, e.IdTag, e.RequestedAt)),
        };
    }
}
