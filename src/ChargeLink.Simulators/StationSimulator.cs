using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;

namespace ChargeLink.Simulators;

/// <summary>
/// A charging station on a real WebSocket with subprotocol ocpp1.6: sends CALLs and waits for their
/// answers, and hands the CALLs the gateway sends it to the test, which answers them.
/// </summary>
public sealed class UpgradeRefusedException(int statusCode, Exception inner)
    : Exception($"the WebSocket upgrade was refused with HTTP {statusCode}", inner)
{
    public int StatusCode { get; } = statusCode;
}

public sealed class StationSimulator : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonArray> _incomingCalls = Channel.CreateUnbounded<JsonArray>();
    private readonly Dictionary<string, TaskCompletionSource<JsonArray>> _pending = [];
    private readonly Task _reader;
    private int _nextId;
    private int _unmatched;

    // Unique per connection, as a station using UUIDs would have; a test can still resend an id on purpose.
    private readonly string _idPrefix = Guid.NewGuid().ToString("N")[..8];

    private StationSimulator(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadLoop);
    }

    private static readonly HttpMessageInvoker SharedHandler = new(new SocketsHttpHandler());

    /// <param name="subprotocol">The OCPP versions the simulated station offers, comma-separated (ocpp1.6,
    /// ocpp2.0.1).</param>
    /// <param name="trustServer">For wss://: accepts the gateway's certificate (a test's self-signed one, say); null
    /// uses the system's trust.</param>
    /// <param name="clientCertificate">For wss:// on security profile 3: the station's certificate, with its private
    /// key.</param>
    public static async Task<StationSimulator> Connect(
        Uri gateway,
        string chargePointId,
        string? password = null,
        bool offerSubprotocol = true,
        Func<X509Certificate?, bool>? trustServer = null,
        string subprotocol = "ocpp1.6",
        X509Certificate2? clientCertificate = null
    )
    {
        var socket = new ClientWebSocket();
        if (clientCertificate is not null)
            socket.Options.ClientCertificates.Add(clientCertificate);
        if (trustServer is not null)
            socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) => trustServer(certificate);
        socket.Options.CollectHttpResponseDetails = true;
        if (offerSubprotocol)
        {
            foreach (var offered in subprotocol.Split(','))
                socket.Options.AddSubProtocol(offered);
        }
        if (password is not null)
            socket.Options.SetRequestHeader(
                "Authorization",
                "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{chargePointId}:{password}"))
            );
        var url = new UriBuilder(gateway)
        {
            Scheme = gateway.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Path = $"/ocpp/{chargePointId}",
        }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            // One handler for every connection: thousands of simulated stations must not each carry an HTTP stack.
            if (trustServer is null)
                await socket.ConnectAsync(url, SharedHandler, timeout.Token);
            else
                await socket.ConnectAsync(url, timeout.Token);
        }
        catch (WebSocketException e)
        {
            throw new UpgradeRefusedException((int)socket.HttpStatusCode, e);
        }
        finally
        {
            if (socket.State != WebSocketState.Open)
                socket.Dispose();
        }
        return new StationSimulator(socket);
    }

    /// <summary>The close the gateway sent, once the socket has closed (null while it is open).</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public async Task<bool> WaitClosed(TimeSpan within)
    {
        await _reader.WaitAsync(within).ContinueWith(_ => { });
        return _socket.State is WebSocketState.Closed or WebSocketState.CloseReceived or WebSocketState.Aborted;
    }

    public string? Subprotocol => _socket.SubProtocol;

    /// <summary>Completes when the connection is gone, whoever closed it.</summary>
    public Task Closed => _reader;

    /// <summary>Sends [2, id, action, payload]; returns the whole answer frame ([3, ...] or [4, ...]).</summary>
    public Task<JsonArray> Call(string action, JsonObject payload) =>
        Call($"{_idPrefix}-{Interlocked.Increment(ref _nextId)}", action, payload);

    /// <summary>Sends a CALL with the message id given (to resend one, as a station does after a lost
    /// answer).</summary>
    public async Task<JsonArray> Call(string id, string action, JsonObject payload)
    {
        var answer = new TaskCompletionSource<JsonArray>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
            _pending[id] = answer;
        await SendText(new JsonArray(2, id, action, payload.DeepClone()).ToJsonString());
        return await answer.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Sends any text as a frame and waits for the gateway's answer carrying <paramref
    /// name="answerId"/>.</summary>
    public async Task<JsonArray> SendRaw(string text, string answerId, TimeSpan within)
    {
        var answer = new TaskCompletionSource<JsonArray>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
            _pending[answerId] = answer;
        await SendText(text);
        return await answer.Task.WaitAsync(within);
    }

    /// <summary>Answers the gateway sent that matched no CALL of this station (there should be none).</summary>
    public int UnmatchedAnswers => _unmatched;

    /// <summary>CALLs from the gateway received and not yet taken by <see cref="NextCallFromGateway"/>.</summary>
    public int PendingCallsFromGateway => _incomingCalls.Reader.Count;

    /// <summary>The next CALL the gateway sent to this station.</summary>
    /// <exception cref="TimeoutException">none arrived within <paramref name="within"/>.</exception>
    public async Task<JsonArray> NextCallFromGateway(TimeSpan within)
    {
        // A cancelled read takes nothing from the channel; an abandoned one (WaitAsync) would swallow the next CALL.
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await _incomingCalls.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"no CALL from the gateway within {within.TotalSeconds:0.#} s");
        }
    }

    public Task Answer(JsonArray call, JsonObject payload) =>
        SendText(new JsonArray(3, call[1]!.GetValue<string>(), payload).ToJsonString());

    public Task SendText(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Sends bytes as a binary frame, which OCPP-J does not use (a fuzz sends them to see them
    /// dropped).</summary>
    public Task SendBinary(byte[] bytes) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

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
                    result = await _socket.ReceiveAsync(
                        new ArraySegment<byte>(buffer, length, buffer.Length - length),
                        CancellationToken.None
                    );
                    length += result.Count;
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
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
                if (waiter is null)
                    Interlocked.Increment(ref _unmatched);
                waiter?.TrySetResult(frame);
            }
        }
        catch (WebSocketException) { }
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
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        }
        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _socket.Dispose();
    }
}
