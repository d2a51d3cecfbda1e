namespace ChargeLink.EventLog;

/// <summary>Where one stream's chain breaks first.</summary>
public sealed record ChainFinding(Guid StreamId, long Version, long? Sequence, string? Type, string Problem);

public sealed record ChainReport(long Events, int Streams, IReadOnlyList<ChainFinding> Findings)
{
    public bool Intact => Findings.Count == 0;
}

/// <summary>
/// Recomputes every stream's hash chain from its stored events and names, per stream, the first event where the
/// stored link and the recomputed one part: an edited event, a missing version (deleted), an extra one (inserted),
/// an event without a link, or events missing from the end of a stream. Streams may be interleaved (the log in
/// append order); each stream's events must come in version order. Memory: a few bytes per stream.
/// </summary>
public static class ChainVerifier
{
    private sealed class StreamChain
    {
        public long Expected = 1;
        public string Link = EventChain.Genesis;
        public bool Broken;
    }

    public static async Task<ChainReport> Verify(
        IAsyncEnumerable<StoredEvent> events,
        IReadOnlyDictionary<Guid, long> streamVersions,
        Action<long>? progress = null,
        CancellationToken cancellation = default
    )
    {
        var findings = new List<ChainFinding>();
        var streams = new Dictionary<Guid, StreamChain>();
        var count = 0L;
        await foreach (var e in events.WithCancellation(cancellation))
        {
            if (++count % 10_000 == 0)
                progress?.Invoke(count);
            if (!streams.TryGetValue(e.StreamId, out var chain))
                streams[e.StreamId] = chain = new StreamChain();
            if (chain.Broken)
                continue;
            if (Check(e, chain) is { } finding)
            {
                findings.Add(finding);
                chain.Broken = true;
            }
        }
        foreach (var (id, chain) in streams.Where(s => !s.Value.Broken))
        {
            var last = chain.Expected - 1;
            if (streamVersions.TryGetValue(id, out var claimed) && claimed > last)
                findings.Add(
                    new ChainFinding(
                        id,
                        last + 1,
                        null,
                        null,
                        $"the stream is at version {claimed} but its events end at {last}: events "
                            + $"{last + 1}..{claimed} were deleted"
                    )
                );
            else if (streamVersions.TryGetValue(id, out claimed) && claimed < last)
                findings.Add(
                    new ChainFinding(
                        id,
                        claimed + 1,
                        null,
                        null,
                        $"the stream is at version {claimed} but has events up to {last}: events were "
                            + "inserted after its end"
                    )
                );
        }
        progress?.Invoke(count);
        return new ChainReport(count, streams.Count, findings);
    }

    private static ChainFinding? Check(StoredEvent e, StreamChain chain)
    {
        if (e.Version != chain.Expected)
        {
            // Versions are unique per stream, so a jump is the only way a stored version can be off.
            var missing = e.Version > chain.Expected + 1 ? $"{chain.Expected}..{e.Version - 1}" : $"{chain.Expected}";
            return new ChainFinding(
                e.StreamId,
                chain.Expected,
                null,
                null,
                $"version {missing} is missing: deleted (the next stored event is version {e.Version})"
            );
        }
        chain.Expected++;
        if (e.Chain is null)
            return new ChainFinding(e.StreamId, e.Version, e.Sequence, e.Type, "it carries no hash link");
        chain.Link = EventChain.Link(chain.Link, e.StreamId, e.Version, e.Type, e.Json);
        return string.Equals(chain.Link, e.Chain, StringComparison.Ordinal)
            ? null
            : new ChainFinding(
                e.StreamId,
                e.Version,
                e.Sequence,
                e.Type,
                "its hash link does not match its content and the events before it: edited, or inserted"
            );
    }
}
