using System.Buffers;
using System.Net.WebSockets;

namespace ChargeLink.Gateway.Stations;

/// <summary>
/// One connected station: reads its frames, answers its CALLs through its OCPP version's <see
/// cref="IStationProtocol"/>,
/// and sends the gateway's own CALLs to it one at a time, as OCPP-J requires.
/// </summary>
public sealed partial class StationConnection(
    string chargePointId,
    StationGroup group,
    WebSocket socket,
    IStationProtocol protocol,
    AnsweredCalls answered,
    GatewayOptions options,
    StationFrameLimits limits,
    ILogger<StationConnection> logger
) : IAsyncDisposable
{
    // Fields, not the constructor's parameters, so that the partial files see them.
    private readonly WebSocket _socket = socket;
    private readonly AnsweredCalls _answered = answered;
    private readonly GatewayOptions _options = options;
    private readonly StationFrameLimits _limits = limits;
    private readonly ILogger<StationConnection> _logger = logger;

    private const int SmallFrameBytes = 4096;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _outstandingCall = new(1, 1);

    // OCPP-J allows one outstanding CALL (_outstandingCall): one slot, not a dictionary. What is kept per connection is
    // kept for every idle station of a site, so collections are made when first needed.
    private PendingCall? _pendingCall;
    private RecentIdTags? _issuedIdTags;
    private readonly CancellationTokenSource _closing = new();

    // Frames of one connection are handled one at a time, so this needs no lock.
    private readonly Dictionary<int, ConnectorStatus> _forwardedStatus = [];
    private int _refusedInARow;
    private long _lastFrameAt = Environment.TickCount64;
    private int _idleClosed;
    private bool _binaryLogged;
    private int _disposed;

    public string ChargePointId { get; } = chargePointId;

    /// <summary>Where the connection comes from (the client's IP address as the gateway sees it).</summary>
    public string RemoteAddress { get; init; } = "unknown";

    /// <summary>This connection among all this process made: what an answer remembers of the connection it was sent on
    /// (<see cref="AnsweredCalls"/>), without keeping the connection itself alive.</summary>
    public long Serial { get; } = Interlocked.Increment(ref _serials);

    private static long _serials;

    /// <summary>The OCPP version this connection speaks.</summary>
    public IStationProtocol Protocol { get; } = protocol;
    public StationGroup Group { get; } = group;

    /// <summary>Whether this gateway lately asked the station to start with this idTag (so Authorize/StartTransaction
    /// get Accepted); <see cref="StationRules.IssuedTokens"/> asks the command ledger about older ones.</summary>
    public bool IssuedIdTag(string idTag) => _issuedIdTags?.Contains(idTag) == true;

    /// <summary>Notes that the station is asked to start with this idTag, before it is asked, and what its payment
    /// holds if known.</summary>
    public void IssueIdTag(string idTag, long? heldAmountMinor = null) =>
        LazyInitializer.EnsureInitialized(ref _issuedIdTags).Issue(idTag, heldAmountMinor);

    /// <summary>What the payment behind an idTag issued on this connection holds, in minor units, if known.</summary>
    public long? HeldAmountOf(string idTag) => _issuedIdTags?.HeldAmountOf(idTag);

    /// <summary>The status this connection last forwarded for a connector, if any.</summary>
    public ConnectorStatus? LastForwardedStatus(int connectorId) =>
        _forwardedStatus.TryGetValue(connectorId, out var status) ? status : null;

    public void StatusForwarded(int connectorId, ConnectorStatus status) => _forwardedStatus[connectorId] = status;

    /// <summary>After a reboot the station's statuses are news again, even those that repeat what it said
    /// before.</summary>
    public void ForgetForwardedStatuses() => _forwardedStatus.Clear();

    /// <summary>
    /// Idle too long (<see cref="IdleSweep"/> asks): the station is sent a close frame, once (a cancelled receive would
    /// abort the socket instead, and the station would see its connection dropped with no reason); its answering close
    /// ends the receive.
    /// </summary>
    public void CloseIfIdle(long now)
    {
        if (
            now - Volatile.Read(ref _lastFrameAt) >= (long)_options.IdleTimeout.TotalMilliseconds
            && Interlocked.Exchange(ref _idleClosed, 1) == 0
        )
            _ = CloseForIdle();
    }

    /// <summary>Reads and handles the station's frames until its connection ends (<paramref name="aborted"/>), the
    /// gateway stops (<paramref name="stopping"/>) or this connection is closed.</summary>
    public async Task Run(CancellationToken aborted, CancellationToken stopping)
    {
        CancellationTokenSource linked;
        try
        {
            // One source for the three, not one linked to another: each link is a source and a registration in each
            // parent, held for the connection's life.
            linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping, _closing.Token);
        }
        catch (ObjectDisposedException)
        {
            // Replaced by a newer connection of the same station before it began.
            return;
        }
        using var linkedScope = linked;
        try
        {
            while (_socket.State == WebSocketState.Open && !linked.IsCancellationRequested)
            {
                int length;
                WebSocketMessageType kind;
                byte[] frame;
                (frame, length, kind) = await ReceiveFrame(linked.Token);
                Volatile.Write(ref _lastFrameAt, Environment.TickCount64);
                var text =
                    kind == WebSocketMessageType.Text && length >= 0 ? Encoding.UTF8.GetString(frame, 0, length) : null;
                if (frame.Length > 0)
                    ArrayPool<byte>.Shared.Return(frame);
                if (kind == WebSocketMessageType.Close)
                    break;
                if (length < 0)
                {
                    _logger.LogWarning(
                        "Frame larger than {MaxFrameBytes} bytes from {ChargePointId}; closing",
                        _options.MaxFrameBytes,
                        ChargePointId
                    );
                    await CloseQuietly(WebSocketCloseStatus.MessageTooBig, "frame too large");
                    break;
                }
                // Every frame counts against the station's bucket, binary and refused ones too.
                if (!_limits.TryTake(ChargePointId))
                {
                    if (await RefuseForRate(text, linked.Token))
                        break;
                    continue;
                }
                if (text is null)
                {
                    if (!_binaryLogged)
                        _logger.LogWarning(
                            "Binary frame from {ChargePointId} dropped: OCPP-J frames are text (further ones "
                                + "on this connection are dropped unlogged)",
                            ChargePointId
                        );
                    _binaryLogged = true;
                    GatewayMetrics.FramesDropped.Add(1);
                    continue;
                }
                _refusedInARow = 0;
                await OnFrame(text, linked.Token);
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested) { }
        catch (WebSocketException e)
        {
            _logger.LogInformation("Connection of {ChargePointId} lost: {Reason}", ChargePointId, e.Message);
        }
        catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) == 1)
        {
            // Replaced by a newer connection of the same station while this one was still receiving.
        }
        finally
        {
            Volatile.Read(ref _pendingCall)?.Answer.TrySetCanceled();
        }
    }

    /// <summary>
    /// One whole frame, in a buffer rented from the shared pool (the caller returns it; an empty frame has none), never
    /// beyond MaxFrameBytes (Length -1). An idle connection holds no buffer: a zero-byte receive waits for the next
    /// frame, and only then is one rented (most OCPP frames fit in a few KiB; a larger one moves to a larger buffer).
    /// </summary>
    private async Task<(byte[] Frame, int Length, WebSocketMessageType Kind)> ReceiveFrame(
        CancellationToken cancellation
    )
    {
        var waited = await _socket.ReceiveAsync(Memory<byte>.Empty, cancellation);
        if (waited.MessageType == WebSocketMessageType.Close)
            return ([], 0, WebSocketMessageType.Close);
        if (waited.EndOfMessage)
            return ([], 0, waited.MessageType);
        var frame = ArrayPool<byte>.Shared.Rent(Math.Min(SmallFrameBytes, _options.MaxFrameBytes));
        var length = 0;
        while (true)
        {
            var capacity = Math.Min(frame.Length, _options.MaxFrameBytes);
            if (length == capacity)
            {
                if (capacity == _options.MaxFrameBytes)
                    return (frame, -1, WebSocketMessageType.Text);
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(frame.Length * 4, _options.MaxFrameBytes));
                frame.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(frame);
                frame = larger;
            }
            var result = await _socket.ReceiveAsync(
                frame.AsMemory(length, Math.Min(frame.Length, _options.MaxFrameBytes) - length),
                cancellation
            );
            if (result.MessageType == WebSocketMessageType.Close)
                return (frame, 0, WebSocketMessageType.Close);
            length += result.Count;
            if (result.EndOfMessage)
                return (frame, length, result.MessageType);
        }
    }

    // Called twice when a station reconnects: by the connection that replaces it, and by its own request.
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _closing.CancelAsync();
        if (_socket.State == WebSocketState.Open)
            await CloseQuietly(WebSocketCloseStatus.NormalClosure, "closing");
        _socket.Dispose();
        _closing.Dispose();
        // The two semaphores are left to the collector (they hold no wait handle): a command that found this
        // connection a moment before it ended still waits on them, and must see a closed socket, not a fault.
    }
}
