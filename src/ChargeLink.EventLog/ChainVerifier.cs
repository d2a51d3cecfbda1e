namespace ChargeLink.EventLog;

/// <summary>What the chain says about one stream: nothing wrong, or the first event where it breaks.</summary>
public sealed record ChainFinding(Guid StreamId, long Version, long? Sequence, string? Type, string Problem);

public sealed record ChainReport(long Events, int Streams, IReadOnlyList<ChainFinding> Findings)
{
    public bool Intact => Findings.Count == 0;
}

/// <summary>
/// Recomputes every stream's hash chain from its stored events and names, per stream, the first event where the
/// stored link and the recomputed one part: an edited event, a missing version (deleted), an extra one (inserted),
/// an event without a link, or events missing from the end of a stream.
/// </summary>
public static class ChainVerifier
{
    public static async Task<ChainReport> Verify(IAsyncEnumerable<StoredEvent> events, IReadOnlyDictionary<Guid, long> streamVersions, Action<long>? progress = null, CancellationToken cancellation = default)
    {
        var findings = new List<ChainFinding>();
        var (count, streams) = (0L, 0);
        Guid? stream = null;
        var (expected, link, broken) = (1L, EventChain.Genesis, false);

        void EndStream()
        {
            if (stream is not { } id || broken)
                return;
            var last = expected - 1;
            if (streamVersions.TryGetValue(id, out var claimed) && claimed > last)
                findings.Add(new ChainFinding(id, last + 1, null, null, $"the stream is at version {claimed} but its events end at {last}: events {last + 1}..{claimed} were deleted"));
            else if (streamVersions.TryGetValue(id, out claimed) && claimed < last)
                findings.Add(new ChainFinding(id, claimed + 1, null, null, $"the stream is at version {claimed} but has events up to {last}: events were inserted after its end"));
        }

        await foreach (var e in events.WithCancellation(cancellation))
        {
            if (e.StreamId != stream)
            {
                EndStream();
                (stream, expected, link, broken) = (e.StreamId, 1, EventChain.Genesis, false);
                streams++;
            }
            if (++count % 10_000 == 0)
                progress?.Invoke(count);
            if (broken)
                continue;
            string? problem = null;
            if (e.Version != expected)
            {
                // Versions are unique per stream, so a jump is the only way a stored version can be off.
                findings.Add(new ChainFinding(e.StreamId, expected, null, null,
                    $"version {expected}{(e.Version > expected + 1 ? $"..{e.Version - 1}" : "")} is missing: deleted (the next stored event is version {e.Version})"));
                broken = true;
                continue;
            }
            if (e.Chain is null)
                problem = "it carries no hash link";
            else
            {
                var recomputed = EventChain.Link(link, e.StreamId, e.Version, e.Type, e.Json);
                if (!string.Equals(recomputed, e.Chain, StringComparison.Ordinal))
                    problem = "its hash link does not match its content and the events before it: edited, or inserted";
                link = recomputed;
            }
            if (problem is not null)
            {
                findings.Add(new ChainFinding(e.StreamId, e.Version, e.Sequence, e.Type, problem));
                broken = true;
            }
            expected++;
        }
        EndStream();
        progress?.Invoke(count);
        return new ChainReport(count, streams, findings);
    }
}
