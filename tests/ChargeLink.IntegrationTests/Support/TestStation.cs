using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>
/// A charging station on a real WebSocket with subprotocol ocpp1.6: sends CALLs and waits for their
/// answers, and hands the CALLs the gateway sends it to the test, which answers them.
/// </summary>
public sealed class TestStation : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonArray> _incomingCalls = Channel.CreateUnbounded<JsonArray>();
    private readonly Dictionary<string, TaskCompletionSource<JsonArray>> _pending = [];
    private readonly Task _reader;
    private int _nextId;

    private TestStation(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadLoop);
    }

    public static async Task<TestStation> Connect(Uri gateway, string chargePointId)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        var url = new UriBuilder(gateway) { Scheme = "ws", Path = $"/ocpp/{chargePointId}" }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(url, timeout.Token);
        return new TestStation(socket);
    }

    public string? Subprotocol => _socket.SubProtocol;

    /// <summary>Sends [2, id, action, payload]; returns the whole answer frame ([3, ...] or [4, ...]).</summary>
    public async Task<JsonArray> Call(string action, JsonObject payload)
    {
        var id = $"st-{Interlocked.Increment(ref _nextId)}";
        var answer = new TaskCompletionSource<JsonArray>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
            _pending[id] = answer;
        await SendText(new JsonArray(2, id, action, payload).ToJsonString());
        return await answer.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>The next CALL the gateway sent to this station.</summary>
    public async Task<JsonArray> NextCallFromGateway(TimeSpan within) =>
        await _incomingCalls.Reader.ReadAsync().AsTask().WaitAsync(within);

    public Task Answer(JsonArray call, JsonObject payload) =>
        SendText(new JsonArray(3, call[1]!.GetValue<string>(), payload).ToJsonString());

    public Task SendText(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task ReadLoop()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                    break;
                var frame = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, length))!.AsArray();
                if (frame[0]!.GetValue<int>() == 2)
                {
                    await _incomingCalls.Writer.WriteAsync(frame);
                    continue;
                }
                TaskCompletionSource<JsonArray>? waiter;
                lock (_pending)
                    _pending.Remove(frame[1]!.GetValue<string>(), out waiter);
                waiter?.TrySetResult(frame);
            }
        }
        catch (WebSocketException)
        {
        }
        _incomingCalls.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _socket.Dispose();
    }
}
