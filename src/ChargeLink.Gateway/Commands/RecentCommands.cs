using System.Collections.Concurrent;

namespace ChargeLink.Gateway.Commands;

/// <summary>
/// Message ids of commands handled lately. Commands are published at least once (right after commit, and
/// again by the orchestrator's relay after a crash), so a repeat within the window is dropped here.
/// </summary>
public sealed class RecentCommands(TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _seen = new();
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    /// <summary>True the first time an id is seen within the window.</summary>
    public bool FirstTime(Guid messageId)
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
}
