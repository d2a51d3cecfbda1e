using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ChargeLink.Simulators;

namespace ChargeLink.Bench;

/// <summary>
/// What a fuzz run saw. <see cref="Answered"/> + <see cref="Timeouts"/> are the frames owed an answer; a wrong answer is
/// one that is not [3, id, {...}] or [4, id, code, description, {...}], or not the one the rules settle
/// (<see cref="FuzzFrame.Expected"/>). A close is unexpected unless the frame before it was beyond the cap, which must
/// close with MessageTooBig (<see cref="OversizeCloses"/>; otherwise <see cref="OversizeMishandled"/>).
/// </summary>
public sealed record FuzzResult(
    int Stations,
    int Frames,
    int Sent,
    int Answered,
    IReadOnlyDictionary<string, int> CallErrors,
    int Timeouts,
    int WrongAnswers,
    int UnmatchedAnswers,
    int UnexpectedCloses,
    int Reconnects,
    int OversizeCloses,
    int OversizeMishandled,
    int HeartbeatsOk,
    int HeartbeatsMissed,
    double SlowestAnswerMs,
    double ElapsedSeconds,
    double FramesPerSecond,
    IReadOnlyList<string> Examples)
{
    public bool Clean => Timeouts == 0 && UnmatchedAnswers == 0 && UnexpectedCloses == 0 && HeartbeatsMissed == 0
        && WrongAnswers == 0 && OversizeMishandled == 0 && Sent == Frames;
}

/// <summary>
/// The gateway fuzz at scale: <see cref="FrameFuzzer"/> frames spread over several stations' connections at once (each
/// sending its share one frame after another, as one station would), while one more station, served, has a Heartbeat
/// answered every 200 ms within 2 s. A connection that drops is counted and reconnected; nothing is thrown out of the run.
/// </summary>
public static class FuzzScenario
{
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan HeartbeatEvery = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan HeartbeatWithin = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ConnectFor = TimeSpan.FromSeconds(30);
    private const int MaxExamples = 20;

    public static async Task<FuzzResult> Run(Uri gateway, IReadOnlyList<string> fuzzStations, string servedStation, int frames, int seed, Action<string> progress)
    {
        var tally = new Tally();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var served = Serve(gateway, servedStation, tally, stop.Token);
        var reporting = Report(frames, tally, clock, progress, stop.Token);
        var stations = fuzzStations.Count;
        try
        {
            await Task.WhenAll(fuzzStations.Select((station, i) =>
                Fuzz(gateway, station, i, frames / stations + (i < frames % stations ? 1 : 0), unchecked(seed * 7919 + i), tally)));
        }
        finally
        {
            clock.Stop();
            await stop.CancelAsync();
            await served;
            await reporting;
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var result = new FuzzResult(
            stations, stations == 0 ? 0 : frames, tally.Sent, tally.Answered,
            new SortedDictionary<string, int>(tally.CallErrors.ToDictionary(), StringComparer.Ordinal),
            tally.Timeouts, tally.WrongAnswers, tally.Unmatched, tally.UnexpectedCloses, tally.Reconnects, tally.OversizeCloses, tally.OversizeMishandled,
            tally.HeartbeatsOk, tally.HeartbeatsMissed, Math.Round(tally.SlowestTicks * 1000.0 / Stopwatch.Frequency, 1), Math.Round(elapsed, 1),
            Math.Round(tally.Sent / Math.Max(elapsed, 0.001)), [.. tally.Examples]);
        progress($"fuzz: {result.Sent:N0} frames in {result.ElapsedSeconds:0.0} s ({result.FramesPerSecond:N0}/s), {result.Answered:N0} answered, "
            + $"{result.Timeouts} timeouts, {result.WrongAnswers} wrong, {result.UnmatchedAnswers} unmatched, {result.UnexpectedCloses} unexpected closes, "
            + $"{result.OversizeCloses} oversize closes, heartbeats {result.HeartbeatsOk} ok / {result.HeartbeatsMissed} missed: {(result.Clean ? "clean" : "NOT CLEAN")}");
        return result;
    }

    /// <summary>One station's share of the frames, one after another; reconnecting after every close.</summary>
    private static async Task Fuzz(Uri gateway, string chargePointId, int index, int share, int seed, Tally tally)
    {
        var fuzzer = new FrameFuzzer(seed);
        var prefix = $"z{index}-";
        StationSimulator? station = null;
        var n = 0;
        try
        {
            for (; n < share; n++)
            {
                if (station is null)
                {
                    if (n > 0)
                        Interlocked.Increment(ref tally.Reconnects);
                    station = await Connect(gateway, chargePointId, tally);
                    if (station is null)
                        break;
                }
                var id = FrameFuzzer.MessageId(prefix, n);
                var frame = fuzzer.Next(id);
                if (!await Send(station, frame, id, chargePointId, n, tally))
                {
                    await Retire(station, tally);
                    station = null;
                }
            }
            if (station is not null)
            {
                // Answers come in order: once this one is in, so is every answer owed before it (and any not owed).
                try
                {
                    await station.SendRaw(new JsonArray(2, prefix + "end", "Heartbeat", new JsonObject()).ToJsonString(), prefix + "end", AnswerWithin);
                }
                catch (TimeoutException)
                {
                    Interlocked.Increment(ref tally.Timeouts);
                    tally.Problem($"{chargePointId}: the closing Heartbeat got no answer within {AnswerWithin.TotalSeconds:0} s");
                }
            }
        }
        catch (Exception e)
        {
            tally.Problem($"{chargePointId}: the fuzz stopped at frame {n}: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            if (station is not null)
                await Retire(station, tally);
            if (n < share)
                tally.Problem($"{chargePointId}: {share - n} frames not sent");
        }
    }

    /// <summary>Sends one frame and checks what came of it; false when the connection is gone (closed as it must be, or not).</summary>
    private static async Task<bool> Send(StationSimulator station, FuzzFrame frame, string id, string chargePointId, int n, Tally tally)
    {
        try
        {
            if (frame.ClosesConnection)
            {
                Interlocked.Increment(ref tally.Sent);
                try
                {
                    await SendUnanswered(station, frame);
                }
                catch (Exception e) when (e is WebSocketException or IOException)
                {
                    // The gateway may close before the last bytes of a frame it refuses are sent: what matters is how.
                }
                if (await station.WaitClosed(AnswerWithin) && station.CloseStatus == WebSocketCloseStatus.MessageTooBig)
                    Interlocked.Increment(ref tally.OversizeCloses);
                else
                    tally.Mishandled($"{chargePointId} frame {n}: beyond the cap, but the connection {(station.CloseStatus is { } status ? $"closed with {status}" : "did not close with MessageTooBig")}");
                return false;
            }
            if (!frame.ExpectsAnswer)
            {
                await SendUnanswered(station, frame);
                Interlocked.Increment(ref tally.Sent);
                return !Closed(station, chargePointId, n, tally);
            }
            var started = Stopwatch.GetTimestamp();
            JsonArray answer;
            try
            {
                answer = await station.SendRaw(frame.Text!, id, AnswerWithin);
            }
            catch (TimeoutException)
            {
                Interlocked.Increment(ref tally.Sent);
                if (Closed(station, chargePointId, n, tally))
                    return false;
                Interlocked.Increment(ref tally.Timeouts);
                tally.Problem($"{chargePointId} frame {n}: no answer within {AnswerWithin.TotalSeconds:0} s: {Shorten(frame.Text!)}");
                return true;
            }
            Interlocked.Increment(ref tally.Sent);
            Interlocked.Increment(ref tally.Answered);
            tally.Took(Stopwatch.GetTimestamp() - started);
            if (FrameFuzzer.WhatIsWrong(answer, id, frame.Expected) is { } problem)
            {
                Interlocked.Increment(ref tally.WrongAnswers);
                tally.Problem($"{chargePointId} frame {n}: {problem}; sent {Shorten(frame.Text!)}, answered {Shorten(answer.ToJsonString())}");
            }
            if (answer[0] is JsonValue type && type.TryGetValue<int>(out var t) && t == 4 && answer[2] is JsonValue code && code.TryGetValue<string>(out var name))
                tally.CallErrors.AddOrUpdate(name, 1, (_, count) => count + 1);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException or InvalidOperationException)
        {
            Interlocked.Increment(ref tally.UnexpectedCloses);
            tally.Problem($"{chargePointId} frame {n}: the connection broke: {e.GetType().Name}: {e.Message}");
            return false;
        }
    }

    private static Task SendUnanswered(StationSimulator station, FuzzFrame frame) =>
        frame.Binary is { } bytes ? station.SendBinary(bytes) : station.SendText(frame.Text!);

    // The gateway closed a connection it had no reason to close.
    private static bool Closed(StationSimulator station, string chargePointId, int n, Tally tally)
    {
        if (station.CloseStatus is not { } status)
            return false;
        Interlocked.Increment(ref tally.UnexpectedCloses);
        tally.Problem($"{chargePointId} frame {n}: the gateway closed the connection ({status})");
        return true;
    }

    /// <summary>The served station: a Heartbeat every 200 ms, each to be answered within 2 s, until the fuzz ends.</summary>
    private static async Task Serve(Uri gateway, string chargePointId, Tally tally, CancellationToken stop)
    {
        StationSimulator? station = null;
        using var timer = new PeriodicTimer(HeartbeatEvery);
        var n = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                station ??= await Connect(gateway, chargePointId, tally);
                if (station is null)
                {
                    Interlocked.Increment(ref tally.HeartbeatsMissed);
                    continue;
                }
                var id = $"hb-{Environment.ProcessId}-{n++}";
                try
                {
                    var answer = await station.SendRaw(new JsonArray(2, id, "Heartbeat", new JsonObject()).ToJsonString(), id, HeartbeatWithin);
                    if (answer[0] is JsonValue type && type.TryGetValue<int>(out var t) && t == 3)
                    {
                        Interlocked.Increment(ref tally.HeartbeatsOk);
                    }
                    else
                    {
                        Interlocked.Increment(ref tally.HeartbeatsMissed);
                        tally.Problem($"{chargePointId}: heartbeat {n} answered {Shorten(answer.ToJsonString())}");
                    }
                }
                catch (TimeoutException)
                {
                    Interlocked.Increment(ref tally.HeartbeatsMissed);
                    tally.Problem($"{chargePointId}: heartbeat {n} not answered within {HeartbeatWithin.TotalSeconds:0} s");
                }
                catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
                {
                    Interlocked.Increment(ref tally.HeartbeatsMissed);
                    Interlocked.Increment(ref tally.UnexpectedCloses);
                    tally.Problem($"{chargePointId}: the served connection broke: {e.Message}");
                    await Retire(station, tally);
                    station = null;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            tally.Problem($"{chargePointId}: the served station stopped: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            if (station is not null)
                await Retire(station, tally);
        }
    }

    private static async Task Report(int frames, Tally tally, Stopwatch clock, Action<string> progress, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                progress($"fuzz: {tally.Sent:N0}/{frames:N0} frames ({tally.Sent / clock.Elapsed.TotalSeconds:N0}/s), {tally.Answered:N0} answered, "
                    + $"{tally.Timeouts} timeouts, {tally.WrongAnswers} wrong, {tally.UnexpectedCloses} unexpected closes, {tally.Reconnects} reconnects, "
                    + $"heartbeats {tally.HeartbeatsOk} ok / {tally.HeartbeatsMissed} missed");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    // As a station does after losing its central system: retry with a pause until connected.
    private static async Task<StationSimulator?> Connect(Uri gateway, string chargePointId, Tally tally)
    {
        var deadline = DateTime.UtcNow + ConnectFor;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                return await StationSimulator.Connect(gateway, chargePointId);
            }
            catch (Exception e) when (e is UpgradeRefusedException or WebSocketException or TimeoutException or HttpRequestException or OperationCanceledException)
            {
                last = e;
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
        tally.Problem($"{chargePointId}: could not connect within {ConnectFor.TotalSeconds:0} s: {last?.Message}");
        return null;
    }

    // Answers that matched nothing are counted before the simulator goes.
    private static async Task Retire(StationSimulator station, Tally tally)
    {
        Interlocked.Add(ref tally.Unmatched, station.UnmatchedAnswers);
        await station.DisposeAsync();
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + $"… ({text.Length} characters)";

    private sealed class Tally
    {
        public int Sent, Answered, Timeouts, WrongAnswers, Unmatched, UnexpectedCloses, Reconnects, OversizeCloses, OversizeMishandled, HeartbeatsOk, HeartbeatsMissed;
        public long SlowestTicks;
        public readonly ConcurrentDictionary<string, int> CallErrors = new(StringComparer.Ordinal);
        public readonly ConcurrentQueue<string> Examples = new();

        public void Took(long ticks)
        {
            var slowest = Interlocked.Read(ref SlowestTicks);
            while (ticks > slowest && Interlocked.CompareExchange(ref SlowestTicks, ticks, slowest) != slowest)
                slowest = Interlocked.Read(ref SlowestTicks);
        }

        public void Mishandled(string what)
        {
            Interlocked.Increment(ref OversizeMishandled);
            Problem(what);
        }

        public void Problem(string what)
        {
            if (Examples.Count < MaxExamples)
                Examples.Enqueue(what);
        }
    }
}
