using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// Refused sign-ins in the log without a line per attempt (a flood of guesses would be a flood of lines): the first
/// refusal of each subject (a station id, the operator) in a window is logged at once with its reason, and at the
/// window's end one Warning sums up the rest: how many, how many refused with 429, from how many addresses, and the
/// busiest one.
/// </summary>
public sealed class RefusalLog(string kind, TimeSpan window, ILogger<RefusalLog> logger) : BackgroundService
{
    private sealed class Tally
    {
        public readonly ConcurrentDictionary<string, bool> Subjects = new(StringComparer.Ordinal);
        public readonly ConcurrentDictionary<string, int> Addresses = new(StringComparer.Ordinal);
        public int Failed;
        public int Throttled;
    }

    private Tally _current = new();

    /// <summary>A failed sign-in of <paramref name="subject"/> from <paramref name="address"/>, for <paramref
    /// name="reason"/>.</summary>
    public void Failed(string subject, string address, string reason)
    {
        var tally = _current;
        Interlocked.Increment(ref tally.Failed);
        tally.Addresses.AddOrUpdate(address, 1, (_, n) => n + 1);
        if (tally.Subjects.TryAdd(subject, true))
        {
            logger.LogWarning(
                "{Kind:l} sign-in refused for {Subject:l} from {RemoteAddress:l}: {Reason:l}; "
                    + "more refusals within {WindowSeconds} s are summed up at its end",
                kind,
                subject,
                address,
                reason,
                window.TotalSeconds
            );
        }
    }

    /// <summary>A sign-in refused with 429 (its address or station failed too often).</summary>
    public void Throttled(string address)
    {
        var tally = _current;
        Interlocked.Increment(ref tally.Throttled);
        tally.Addresses.AddOrUpdate(address, 1, (_, n) => n + 1);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(window);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var ended = Interlocked.Exchange(ref _current, new Tally());
            // One failure alone was logged as it happened.
            if (ended.Failed + ended.Throttled <= 1)
                continue;
            var busiest = ended.Addresses.MaxBy(a => a.Value);
            logger.LogWarning(
                "{Kind:l} sign-ins in the last {WindowSeconds} s: {Failed} refused for "
                    + "credentials, {Throttled} refused with 429, from {Addresses} address(es), most "
                    + "from {BusiestAddress} ({BusiestCount})",
                kind,
                window.TotalSeconds,
                ended.Failed,
                ended.Throttled,
                ended.Addresses.Count,
                busiest.Key,
                busiest.Value
            );
        }
    }
}
