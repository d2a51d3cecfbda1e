namespace ChargeLink.Domain.Groups;

/// <summary>A connector an operator took out of service: who, why, by which act, since when.</summary>
public sealed record OutOfServiceNote(string Operator, string Reason, string ActId, DateTimeOffset Since);

/// <summary>The last act on a connector or station (connector 0): a copy of it, or an older act, comes too late;
/// once <paramref name="Answered"/>, a copy of the station's answer to it does too.</summary>
public sealed record ActNote(string ActId, DateTimeOffset At, string? Act = null, bool Answered = false);

public sealed partial record GroupState
{
    /// <summary>The connectors operators took out of service: never candidates while here.</summary>
    public ImmutableDictionary<ConnectorRef, OutOfServiceNote> OutOfService { get; init; } =
        ImmutableDictionary<ConnectorRef, OutOfServiceNote>.Empty;

    /// <summary>
    /// The last operator's act on each connector, and on each station under connector 0. Bounded by the topology, not
    /// by the number of acts: enough to know the second click of a double click, or a relay's copy, for the act it is.
    /// </summary>
    public ImmutableDictionary<ConnectorRef, ActNote> LastActs { get; init; } =
        ImmutableDictionary<ConnectorRef, ActNote>.Empty;

    public bool IsOutOfService(ConnectorRef connector) => OutOfService.ContainsKey(connector);

    /// <summary>What an operator's act is done on: its connector, or its station as connector 0.</summary>
    public static ConnectorRef ActTarget(string chargePointId, int? connectorId) =>
        new(chargePointId, connectorId ?? 0);

    /// <summary>Whether an act was already decided (the same act id), or comes after a later act on the same
    /// target.</summary>
    public bool IsRepeatedOrOlderAct(ConnectorRef target, string actId, DateTimeOffset at) =>
        LastActs.TryGetValue(target, out var last) && (last.ActId == actId || at < last.At);

    private GroupState ActNoted(OperatorActed e) =>
        e.ChargePointId is { } station
            ? this with
            {
                LastActs = LastActs.SetItem(ActTarget(station, e.ConnectorId), new ActNote(e.ActId, e.At, e.Act)),
            }
            : this;

    /// <summary>
    /// Whether the last act on the connector returned it to service and the station has not answered it yet: until it
    /// has, a start there could reach the station before the ChangeAvailability that makes the connector operative
    /// again (the two are separate commands, and nothing orders them on the way), and be refused.
    /// </summary>
    public bool IsReturnUnanswered(ConnectorRef connector) =>
        LastActs.TryGetValue(connector, out var last) && last is { Act: OperatorActs.ReturnToService, Answered: false };

    /// <summary>Whether the station's answer to this act was recorded already, while it is still the last act on its
    /// target (older acts are not remembered: their answers are recorded however often they come).</summary>
    public bool IsAnswered(string actId)
    {
        foreach (var (_, note) in LastActs)
        {
            if (note.ActId == actId)
                return note.Answered;
        }
        return false;
    }

    private GroupState ActAnswered(OperatorActAnswered e)
    {
        foreach (var (target, note) in LastActs)
        {
            if (note.ActId == e.ActId)
                return note.Answered
                    ? this
                    : this with
                    {
                        LastActs = LastActs.SetItem(target, note with { Answered = true }),
                    };
        }
        return this;
    }

    private GroupState TakenOutOfService(ConnectorTakenOutOfService e)
    {
        var connector = new ConnectorRef(e.ChargePointId, e.ConnectorId);
        return this with
        {
            OutOfService = OutOfService.SetItem(connector, new OutOfServiceNote(e.Operator, e.Reason, e.ActId, e.At)),
            Candidates = Without(Candidates, connector),
        };
    }
}
