namespace ChargeLink.Gateway.Ocpp;

/// <summary>What the gateway does with a CALL of an action a station sends.</summary>
public enum StationActionHandling
{
    /// <summary>Read and answered by the action's own file.</summary>
    Answered,

    /// <summary>Accepted and answered with the empty payload its schema allows; the flow does not use it.</summary>
    Noted,

    /// <summary>An action of the version the gateway does not take from a station: NotSupported.</summary>
    NotSupported,
}

/// <summary>One action of a version: what a station's CALL of it gets, and whether the gateway itself sends
/// it.</summary>
public sealed record CatalogueEntry(string Action, StationActionHandling FromStation, bool SentToStation);

/// <summary>
/// One OCPP version's actions, in one place: every action its OCA schemas define (anything else is NotImplemented),
/// the ones a station's CALL of is answered by an action's file or noted, and the ones the gateway sends. The dispatch
/// and the "not served" answers read it; a CALL admitted by it has passed the schema of its request.
/// </summary>
public sealed class OcppCatalogue
{
    private readonly OcppSchemas _schemas;
    private readonly Dictionary<string, CatalogueEntry> _entries;

    /// <exception cref="InvalidOperationException">An action named here that the version's schemas do not
    /// define (a typo would otherwise answer NotImplemented for ever).</exception>
    public OcppCatalogue(
        OcppSchemas schemas,
        IEnumerable<string> answered,
        IEnumerable<string> noted,
        IEnumerable<string> sent
    )
    {
        _schemas = schemas;
        var (answeredSet, notedSet, sentSet) = (answered.ToHashSet(), noted.ToHashSet(), sent.ToHashSet());
        var unknown = answeredSet.Concat(notedSet).Concat(sentSet).Where(a => !schemas.Knows(a)).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException($"not actions of the version's schemas: {string.Join(", ", unknown)}");
        _entries = schemas.Actions.ToDictionary(
            action => action,
            action => new CatalogueEntry(
                action,
                answeredSet.Contains(action) ? StationActionHandling.Answered
                    : notedSet.Contains(action) ? StationActionHandling.Noted
                    : StationActionHandling.NotSupported,
                sentSet.Contains(action)
            ),
            StringComparer.Ordinal
        );
    }

    public IReadOnlyCollection<CatalogueEntry> Entries => _entries.Values;

    /// <summary>
    /// How the gateway handles <paramref name="call"/>, once its payload has passed its request's schema. The action
    /// decides first: one the version does not define is NotImplemented, one not taken from a station NotSupported,
    /// whatever the payload carries.
    /// </summary>
    /// <exception cref="OcppViolation">The CALLERROR the call gets instead.</exception>
    public StationActionHandling Admit(OcppCall call)
    {
        if (!_entries.TryGetValue(call.Action, out var entry))
            throw new OcppViolation(OcppErrorCode.NotImplemented, $"unknown action {OcppFrame.Clip(call.Action)}");
        if (entry.FromStation == StationActionHandling.NotSupported)
            throw new OcppViolation(
                OcppErrorCode.NotSupported,
                $"{OcppFrame.Clip(call.Action)} is not taken from a station here"
            );
        _schemas.Check(call.Action, call.Payload);
        return entry.FromStation;
    }
}
