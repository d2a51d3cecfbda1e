namespace ChargeLink.Gateway.Stations;

/// <summary>
/// The idTags this gateway lately asked one connected station to start with, and what each one's payment holds: the
/// fast answer to the station's Authorize or StartTransaction with that idTag, and the energy limit a 2.x station is
/// told. Bounded: a station that stays connected for months starts thousands of sessions, and each kept idTag would
/// stay for the connection's life. A start follows its RemoteStart within minutes, so the last <see cref="Capacity"/>
/// suffice; an older one is found in the command ledger (<see cref="StationRules.IssuedTokens"/>), whose answer is the
/// same.
/// </summary>
public sealed class RecentIdTags
{
    /// <summary>How many are kept: a few starts in flight on each connector of even a large station.</summary>
    public const int Capacity = 32;

    // Oldest first; written by the command consumer, read by the connection's frame loop.
    private readonly List<(string IdTag, long? HeldAmountMinor)> _tags = new(Capacity);
    private readonly Lock _lock = new();

    /// <summary>Notes an idTag the station is asked to start with, as the newest: asked again (a start tried again),
    /// it takes the newest place with the hold it is asked with now.</summary>
    public void Issue(string idTag, long? heldAmountMinor)
    {
        lock (_lock)
        {
            if (IndexOf(idTag) is { } at)
                _tags.RemoveAt(at);
            else if (_tags.Count == Capacity)
                _tags.RemoveAt(0);
            _tags.Add((idTag, heldAmountMinor));
        }
    }

    public bool Contains(string idTag)
    {
        lock (_lock)
            return IndexOf(idTag) is not null;
    }

    /// <summary>What the payment behind the idTag holds, in minor units, if the idTag is kept and the amount
    /// known.</summary>
    public long? HeldAmountOf(string idTag)
    {
        lock (_lock)
            return IndexOf(idTag) is { } at ? _tags[at].HeldAmountMinor : null;
    }

    private int? IndexOf(string idTag)
    {
        for (var i = 0; i < _tags.Count; i++)
        {
            if (string.Equals(_tags[i].IdTag, idTag, StringComparison.Ordinal))
                return i;
        }
        return null;
    }
}
