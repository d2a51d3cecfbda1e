using System.Collections.Concurrent;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// Message ids of commands handled lately. Commands are published at least once (right after commit, and
/// again by the orchestrator's relay from the stream), so a receiver drops a repeat within the window.
/// </summary>
public sealed class RecentMessageIds(TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _seen = new();
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    /// <summary>
    /// Claims a message id: true the first time within the window (go ahead), false for a repeat (drop it).
    /// A receiver whose work then fails calls <see cref="Release"/>, so the retry is not taken for a repeat.
    /// </summary>
    public bool TryClaim(Guid messageId)
    {
        var now = clock.GetUtcNow();
        if (now >= _nextPrune)
        {
            _nextPrune = now + TimeSpan.FromMinutes(1);
            foreach (var (id, seenAt) in _seen)
            {
                if (now - seenAt > Window)
                    _seen.TryRemove(id, out _);
            }
        }
        return _seen.TryAdd(messageId, now);
    }

    public void Release(Guid messageId) => _seen.TryRemove(messageId, out _);
}
