using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;
using ChargeLink.Gateway.Ocpp;

namespace ChargeLink.Gateway.Stations;

/// <summary>
/// One connected station: reads its frames, answers its CALLs through its OCPP version's <see
/// cref="IStationProtocol"/>,
/// and sends the gateway's own CALLs to it one at a time, as OCPP-J requires.
/// </summary>
public sealed class StationConnection(
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
    private const int SmallFrameBytes = 4096;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _outstandingCall = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<OcppFrame>> _pendingCalls = new();
    private readonly ConcurrentDictionary<string, long?> _issuedIdTags = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing = new();

    // Frames of one connection are handled one at a time, so this needs no lock.
    private readonly Dictionary<int, ConnectorState> _forwardedStatus = [];
    private int _refusedInARow;
    private bool _binaryLogged;
    private int _disposed;

    public string ChargePointId { get; } = chargePointId;

    /// <summary>Where the connection comes from (the client's IP address as the gateway sees it).</summary>
    public string RemoteAddress { get; init; } = "unknown";

    /// <summary>The OCPP version this connection speaks.</summary>
    public IStationProtocol Protocol { get; } = protocol;
    public StationGroup Group { get; } = group;

    /// <summary>Whether this gateway asked the station to start with this idTag (so Authorize/StartTransaction get
    /// Accepted).</summary>
    public bool IssuedIdTag(string idTag) => _issuedIdTags.ContainsKey(idTag);

    /// <summary>Notes that the station is asked to start with this idTag, before it is asked, and what its payment
    /// holds if known.</summary>
    public void IssueIdTag(string idTag, long? heldAmountMinor = null) => _issuedIdTags[idTag] = heldAmountMinor;

    /// <summary>What the payment behind an idTag issued on this connection holds, in minor units, if known.</summary>
    public long? HeldAmountOf(string idTag) => _issuedIdTags.TryGetValue(idTag, out var held) ? held : null;

    /// <summary>The status this connection last forwarded for a connector, if any.</summary>
    public ConnectorState? LastForwardedStatus(int connectorId) =>
        _forwardedStatus.TryGetValue(connectorId, out var status) ? status : null;

    public void StatusForwarded(int connectorId, ConnectorState status) => _forwardedStatus[connectorId] = status;

    /// <summary>After a reboot the station's statuses are news again, even those that repeat what it said
    /// before.</summary>
    public void ForgetForwardedStatuses() => _forwardedStatus.Clear();

    public async Task Run(CancellationToken stopping)
    {
        CancellationTokenSource linked;
        try
        {
            linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _closing.Token);
        }
        catch (ObjectDisposedException)
        {
            // Replaced by a newer connection of the same station before it began.
            return;
        }
        using var linkedScope = linked;
        // Most OCPP frames fit in a few KiB: a connection keeps only this much, and a larger frame borrows from the
        // pool.
        var buffer = new byte[Math.Min(SmallFrameBytes, options.MaxFrameBytes)];
        try
        {
            while (socket.State == WebSocketState.Open && !linked.IsCancellationRequested)
            {
                int length;
                WebSocketMessageType kind;
                byte[] frame;
                // Idle too long: the station is sent a close frame (a cancelled receive would abort the socket instead,
                // and the station would see its connection dropped with no reason); its answering close ends the
                // receive.
                using (var idle = new CancellationTokenSource(options.IdleTimeout))
                using (idle.Token.Register(() => _ = CloseForIdle()))
                    (frame, length, kind) = await ReceiveFrame(buffer, linked.Token);
                var text =
                    kind == WebSocketMessageType.Text && length >= 0 ? Encoding.UTF8.GetString(frame, 0, length) : null;
                if (frame != buffer)
                    ArrayPool<byte>.Shared.Return(frame);
                if (kind == WebSocketMessageType.Close)
                    break;
                if (length < 0)
                {
                    logger.LogWarning(
                        "Frame larger than {MaxFrameBytes} bytes from {ChargePointId}; closing",
                        options.MaxFrameBytes,
                        ChargePointId
                    );
                    await CloseQuietly(WebSocketCloseStatus.MessageTooBig, "frame too large");
                    break;
                }
                // Every frame counts against the station's bucket, binary and refused ones too.
                if (!limits.TryTake(ChargePointId))
                {
                    if (await RefuseForRate(text, linked.Token))
                        break;
                    continue;
                }
                if (text is null)
                {
                    if (!_binaryLogged)
                        logger.LogWarning(
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
            logger.LogInformation("Connection of {ChargePointId} lost: {Reason}", ChargePointId, e.Message);
        }
        catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) == 1)
        {
            // Replaced by a newer connection of the same station while this one was still receiving.
        }
        finally
        {
            foreach (var pending in _pendingCalls.Values)
                pending.TrySetCanceled();
        }
    }

    /// <summary>
    /// One whole frame: in <paramref name="small"/> when it fits, else in a buffer rented from the shared pool (the
    /// caller returns it), never beyond MaxFrameBytes (Length -1).
    /// </summary>
    private async Task<(byte[] Frame, int Length, WebSocketMessageType Kind)> ReceiveFrame(
        byte[] small,
        CancellationToken cancellation
    )
    {
        var frame = small;
        var length = 0;
        while (true)
        {
            var capacity = Math.Min(frame.Length, options.MaxFrameBytes);
            if (length == capacity)
            {
                if (capacity == options.MaxFrameBytes)
                    return (frame, -1, WebSocketMessageType.Text);
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(frame.Length * 4, options.MaxFrameBytes));
                frame.AsSpan(0, length).CopyTo(larger);
                if (frame != small)
                    ArrayPool<byte>.Shared.Return(frame);
                frame = larger;
            }
            var result = await socket.ReceiveAsync(
                frame.AsMemory(length, Math.Min(frame.Length, options.MaxFrameBytes) - length),
                cancellation
            );
            if (result.MessageType == WebSocketMessageType.Close)
                return (frame, 0, WebSocketMessageType.Close);
            length += result.Count;
            if (result.EndOfMessage)
                return (frame, length, result.MessageType);
        }
    }

    // Over the rate a CALL gets a CALLERROR without being handled; a station that keeps flooding is disconnected.
    private async Task<bool> RefuseForRate(string? text, CancellationToken cancellation)
    {
        GatewayMetrics.FramesRateLimited.Add(1);
        if (++_refusedInARow == 1)
            logger.LogWarning(
                "Station {ChargePointId} exceeds {FramesPerSecond} frames per second; frames refused",
                ChargePointId,
                options.FramesPerSecond
            );
        if (_refusedInARow >= options.RefusalsBeforeClose)
        {
            logger.LogWarning(
                "Station {ChargePointId} kept flooding ({Refused} frames refused in a row); disconnected",
                ChargePointId,
                _refusedInARow
            );
            await CloseQuietly(WebSocketCloseStatus.PolicyViolation, "too many frames");
            return true;
        }
        if (text is not null && OcppFrameParser.Parse(text, Protocol.Subprotocol) is { Frame: OcppCall call })
            await Send(
                new OcppCallError(
                    call.MessageId,
                    OcppErrorCode.GenericError,
                    $"more than {options.FramesPerSecond} frames per second; retry later"
                ),
                cancellation
            );
        return false;
    }

    private async Task OnFrame(string text, CancellationToken cancellation)
    {
        var parsed = OcppFrameParser.Parse(text, Protocol.Subprotocol);
        switch (parsed)
        {
            case { Frame: OcppCall call }:
                if (call.Action == "BootNotification")
                    answered.Forget(ChargePointId);
                else if (answered.Find(ChargePointId, call) is { } earlier)
                {
                    logger.LogInformation(
                        "{OcppAction} {OcppMessageId} from {ChargePointId} resent; answered as before",
                        call.Action,
                        call.MessageId,
                        ChargePointId
                    );
                    await Send(earlier, cancellation);
                    break;
                }
                var answer = await Answer(call, cancellation);
                // A failure on our side is not remembered: the resend must be handled afresh.
                if (answer is not OcppCallError { ErrorCode: OcppErrorCode.InternalError })
                    answered.Remember(ChargePointId, call, answer);
                await Send(answer, cancellation);
                break;
            case { Frame: OcppSend send } when OcppSend.Actions.Contains(send.Action):
                // Handled as a CALL, never answered; what it could not take is logged by the handler.
                await Answer(new OcppCall(send.MessageId, send.Action, send.Payload), cancellation);
                break;
            case { Frame: OcppSend other }:
                // No message of the standard, and a SEND has no answer to refuse it with: it is dropped, and nothing it
                // says is taken.
                GatewayMetrics.FramesDropped.Add(1);
                logger.LogWarning(
                    "SEND {OcppAction} {OcppMessageId} from {ChargePointId} dropped: 2.1 defines SEND "
                        + "only for {SendActions}",
                    other.Action,
                    other.MessageId,
                    ChargePointId,
                    OcppSend.Actions
                );
                break;
            case { Frame: OcppCallResultError refused }:
                logger.LogWarning(
                    "Station {ChargePointId} could not take our answer {MessageId}: {ErrorCode} {Description}",
                    ChargePointId,
                    refused.MessageId,
                    refused.ErrorCode,
                    refused.Description
                );
                break;
            case { Frame: { } reply }:
                if (_pendingCalls.TryRemove(reply.MessageId, out var waiter))
                    waiter.TrySetResult(reply);
                else
                    logger.LogWarning(
                        "Answer {MessageId} from {ChargePointId} matches no CALL of ours; dropped",
                        reply.MessageId,
                        ChargePointId
                    );
                break;
            case { Error: { } error }:
                logger.LogWarning(
                    "Bad frame from {ChargePointId}: {ErrorCode} {Description}",
                    ChargePointId,
                    error.ErrorCode,
                    error.Description
                );
                await Send(error, cancellation);
                break;
            default:
                GatewayMetrics.FramesDropped.Add(1);
                logger.LogWarning("Frame from {ChargePointId} dropped: {Reason}", ChargePointId, parsed.Dropped);
                break;
        }
    }

    // One rule for every version: what the protocol returns is the CALLRESULT, a violation it reports is the CALLERROR,
    // anything else (typically the broker unreachable) is InternalError, which the station retries, so nothing is lost.
    private async Task<OcppFrame> Answer(OcppCall call, CancellationToken cancellation)
    {
        using var scope = logger.BeginScope(
            new Dictionary<string, object>
            {
                ["ChargePointId"] = ChargePointId,
                ["GroupId"] = Group.Id,
                ["OcppAction"] = call.Action,
                ["OcppMessageId"] = call.MessageId,
            }
        );
        try
        {
            return new OcppCallResult(call.MessageId, await Protocol.Handle(this, call, cancellation));
        }
        catch (OcppViolation violation)
        {
            GatewayMetrics.CallErrors.Add(1);
            logger.LogWarning(
                "{OcppAction} from {ChargePointId} refused: {ErrorCode} {Description}",
                call.Action,
                ChargePointId,
                violation.Code,
                violation.Message
            );
            return new OcppCallError(call.MessageId, violation.Code, violation.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            GatewayMetrics.CallErrors.Add(1);
            logger.LogError(e, "{OcppAction} from {ChargePointId} failed", call.Action, ChargePointId);
            return new OcppCallError(
                call.MessageId,
                OcppErrorCode.InternalError,
                "the central system could not process this message; retry later"
            );
        }
    }

    /// <summary>
    /// Sends a CALL and waits for its answer: one outstanding CALL per station, later ones queue here.
    /// Returns the CALLRESULT or CALLERROR, or null when the station did not answer in time.
    /// </summary>
    public async Task<OcppFrame?> Call(string action, JsonObject payload, CancellationToken cancellation)
    {
        await _outstandingCall.WaitAsync(cancellation);
        var call = new OcppCall(Guid.NewGuid().ToString(), action, payload);
        var answer = new TaskCompletionSource<OcppFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingCalls[call.MessageId] = answer;
        try
        {
            await Send(call, cancellation);
            return await answer.Task.WaitAsync(options.CallTimeout, cancellation);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _pendingCalls.TryRemove(call.MessageId, out _);
            _outstandingCall.Release();
        }
    }

    private async Task Send(OcppFrame frame, CancellationToken cancellation)
    {
        // Every CALLERROR leaves here: its code in the words of the connection's version.
        if (
            frame is OcppCallError error
            && OcppErrorCode.Spelled(error.ErrorCode, Protocol.Subprotocol) is var spelled
            && spelled != error.ErrorCode
        )
            frame = error with { ErrorCode = spelled };
        var bytes = Encoding.UTF8.GetBytes(frame.Serialize());
        await _sendLock.WaitAsync(cancellation);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellation);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task CloseForIdle()
    {
        logger.LogWarning(
            "Station {ChargePointId} sent nothing for {IdleSeconds} s; disconnected",
            ChargePointId,
            options.IdleTimeout.TotalSeconds
        );
        await CloseQuietly(WebSocketCloseStatus.NormalClosure, "idle timeout");
    }

    private async Task CloseQuietly(WebSocketCloseStatus status, string description)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(status, description, timeout.Token);
        }
        // InvalidOperationException: a send of ours was under way; the socket goes all the same.
        catch (Exception e)
            when (e
                    is WebSocketException
                        or OperationCanceledException
                        or InvalidOperationException
                        or ObjectDisposedException
            )
        {
            // The peer is gone already; nothing more to say to it.
        }
    }

    // Called twice when a station reconnects: by the connection that replaces it, and by its own request.
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _closing.CancelAsync();
        if (socket.State == WebSocketState.Open)
            await CloseQuietly(WebSocketCloseStatus.NormalClosure, "closing");
        socket.Dispose();
        _closing.Dispose();
        _sendLock.Dispose();
        _outstandingCall.Dispose();
    }
}
