using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using ChargeLink.Simulators;

namespace ChargeLink.Bench;

/// <summary>How a station resends a CALL whose answer it never heard.</summary>
public enum Resend
{
    /// <summary>Reconnects and resends the same CALL, same message id.</summary>
    SameId,

    /// <summary>Reconnects and resends it under a new message id.</summary>
    NewId,

    /// <summary>Reboots: reconnects, BootNotification, reports its status, then resends (same payload, new id).</summary>
    BootThenResend,
}

/// <summary>The moments at which the run may aim a kill at the gateway that holds this station.</summary>
public interface IChaosWindows
{
    /// <summary>A RemoteStartTransaction arrived and is not answered yet; true if the gateway was killed.</summary>
    bool CommandInFlight(ChaosStation station);

    /// <summary>A StartTransaction (or StopTransaction) was answered; true if the gateway was killed (the answer then counts as lost).</summary>
    bool TransactionAnswered(ChaosStation station, string action);

    Resend ChooseResend();
}

/// <summary>
/// A station that behaves as real OCPP 1.6 stations do when their central system fails under them: one CALL at a time;
/// a CALL whose answer does not come is sent again after a reconnect (same id, a new id, or after a reboot with a
/// BootNotification), until answered; after each reconnect it reports its connector's status again. CALLs from the
/// gateway are answered on the connection they came on: a RemoteStartTransaction for an idTag a session of this station
/// waits for is handed to it; any other is refused, and counted.
/// </summary>
public sealed class ChaosStation(string chargePointId, Func<string?, Uri> pickGateway, IChaosWindows windows)
{
    private readonly SemaphoreSlim _oneCall = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(JsonArray Call, StationSimulator Link)>> _expected = new(StringComparer.Ordinal);
    private StationSimulator? _link;
    private bool _rebooted;

    public string ChargePointId { get; } = chargePointId;
    public Uri? Gateway { get; private set; }
    public string Status { get; private set; } = "Available";
    public long MeterWh { get; set; }

    /// <summary>RemoteStartTransaction received, by idTag (each should come once, to one station).</summary>
    public static readonly ConcurrentDictionary<string, ConcurrentBag<string>> StartsReceived = new(StringComparer.Ordinal);

    public static int StrayStarts;
    public static int StopsReceived;
    public static int Resends;
    public static int Reconnects;

    /// <summary>Waits for the gateway to ask this station to start with <paramref name="idTag"/>.</summary>
    public Task<(JsonArray Call, StationSimulator Link)> ExpectStart(string idTag)
    {
        var waiter = new TaskCompletionSource<(JsonArray, StationSimulator)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _expected[idTag] = waiter;
        return waiter.Task;
    }

    public void StopExpecting(string idTag) => _expected.TryRemove(idTag, out _);

    public async Task Report(string status)
    {
        Status = status;
        await Call("StatusNotification", StatusPayload());
    }

    /// <summary>A CALL sent until it is answered, across reconnects; returns the answer's payload frame.</summary>
    public async Task<JsonArray> Call(string action, JsonObject payload)
    {
        await _oneCall.WaitAsync();
        try
        {
            var id = NewId();
            while (true)
            {
                var link = await Link();
                if (await Answered(link, link.Call(id, action, payload)) is not { } answer)
                {
                    id = Lost(link, id);
                    continue;
                }
                if (answer[0]!.GetValue<int>() == 4 && answer[2]!.GetValue<string>() is "InternalError" or "GenericError")
                {
                    // The central system could not take it now (its broker or database is away): the station retries.
                    await Task.Delay(300);
                    continue;
                }
                if (action is "StartTransaction" or "StopTransaction" && windows.TransactionAnswered(this, action))
                {
                    // The gateway died with its answer sent; the station never heard it and resends after reconnecting.
                    LostAnswers.Enqueue((this, action, payload, answer));
                    id = Lost(link, id);
                    continue;
                }
                return answer;
            }
        }
        finally
        {
            _oneCall.Release();
        }
    }

    // The answer, or null when the connection died (or the answer took 15 s) first.
    private static async Task<JsonArray?> Answered(StationSimulator link, Task<JsonArray> call)
    {
        var first = await Task.WhenAny(call, link.Closed, Task.Delay(TimeSpan.FromSeconds(15)));
        if (first != call)
        {
            _ = call.ContinueWith(t => t.Exception, TaskScheduler.Default);
            return null;
        }
        try
        {
            return await call;
        }
        catch (Exception e) when (e is TimeoutException or System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Answers the station resent after the gateway was killed with its answer sent: to compare with the resend's.</summary>
    public static readonly ConcurrentQueue<(ChaosStation Station, string Action, JsonObject Payload, JsonArray FirstAnswer)> LostAnswers = new();

    private string Lost(StationSimulator link, string id)
    {
        Interlocked.Increment(ref Resends);
        if (_link == link)
            _link = null;
        _ = link.DisposeAsync().AsTask();
        return windows.ChooseResend() switch
        {
            Resend.SameId => id,
            Resend.NewId => NewId(),
            _ => Reboot(),
        };
    }

    private string Reboot()
    {
        _rebooted = true;
        return NewId();
    }

    private async Task<StationSimulator> Link()
    {
        if (_link is { } current && !current.Closed.IsCompleted)
            return current;
        var avoid = Gateway?.ToString();
        while (true)
        {
            Gateway = pickGateway(avoid);
            StationSimulator? link = null;
            try
            {
                link = await StationSimulator.Connect(Gateway, ChargePointId);
                _link = link;
                Interlocked.Increment(ref Reconnects);
                _ = Task.Run(() => Pump(link));
                if (_rebooted && await Answered(link, link.Call(NewId(), "BootNotification", new JsonObject { ["chargePointVendor"] = "ChargeLink", ["chargePointModel"] = "Chaos" })) is null)
                    throw new InvalidOperationException("no answer to BootNotification");
                _rebooted = false;
                // After a reconnect a station reports where its connector stands.
                if (await Answered(link, link.Call(NewId(), "StatusNotification", StatusPayload())) is null)
                    throw new InvalidOperationException("no answer to StatusNotification");
                return link;
            }
            catch (Exception e) when (e is TimeoutException or UpgradeRefusedException or System.Net.WebSockets.WebSocketException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
            {
                _link = null;
                if (link is not null)
                    _ = link.DisposeAsync().AsTask();
                avoid = Gateway.ToString();
                await Task.Delay(200);
            }
        }
    }

    // The gateway's CALLs, answered on the connection they came on.
    private async Task Pump(StationSimulator link)
    {
        while (true)
        {
            JsonArray call;
            try
            {
                call = await link.NextCallFromGateway(TimeSpan.FromDays(1));
            }
            catch (Exception e) when (e is TimeoutException or System.Threading.Channels.ChannelClosedException or InvalidOperationException or OperationCanceledException)
            {
                return;
            }
            try
            {
                await Handle(call, link);
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // The connection died under the answer: the gateway hears nothing, as with a real station.
            }
        }
    }

    private async Task Handle(JsonArray call, StationSimulator link)
    {
        var action = call[2]!.GetValue<string>();
        if (action == "RemoteStartTransaction")
        {
            var idTag = call[3]!["idTag"]!.GetValue<string>();
            StartsReceived.GetOrAdd(idTag, _ => []).Add(ChargePointId);
            if (_expected.TryRemove(idTag, out var waiter))
            {
                waiter.TrySetResult((call, link));
                return;
            }
            Interlocked.Increment(ref StrayStarts);
            await link.Answer(call, new JsonObject { ["status"] = "Rejected" });
            return;
        }
        if (action == "RemoteStopTransaction")
            Interlocked.Increment(ref StopsReceived);
        await link.Answer(call, new JsonObject { ["status"] = action == "RemoteStopTransaction" ? "Accepted" : "Rejected" });
    }

    /// <summary>Accepts a remote start, unless the run kills the gateway first (then the answer is lost; the station starts anyway).</summary>
    public async Task Accept((JsonArray Call, StationSimulator Link) start)
    {
        if (windows.CommandInFlight(this))
            return;
        try
        {
            await start.Link.Answer(start.Call, new JsonObject { ["status"] = "Accepted" });
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // Lost with its connection.
        }
    }

    public async Task Close()
    {
        if (_link is { } link)
            await link.DisposeAsync();
    }

    private JsonObject StatusPayload() => new()
    {
        ["connectorId"] = 1,
        ["errorCode"] = "NoError",
        ["status"] = Status,
        ["timestamp"] = Now(),
    };

    public static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static string NewId() => Guid.NewGuid().ToString();
}
