using System.Buffers;
using System.Net.WebSockets;

namespace ChargeLink.Gateway.Stations;

public sealed partial class StationConnection
{
    /// <summary>
    /// Sends a CALL and waits for its answer: one outstanding CALL per station, later ones queue here.
    /// Returns the CALLRESULT or CALLERROR, or null when the station did not answer in time or its connection ended
    /// first (a command routed here a moment before the station left must not fault: it was not answered).
    /// </summary>
    public async Task<OcppFrame?> Call(string action, JsonObject payload, CancellationToken cancellation)
    {
        await _outstandingCall.WaitAsync(cancellation);
        var call = new OcppCall(Guid.NewGuid().ToString(), action, payload);
        var answer = new TaskCompletionSource<OcppFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = new PendingCall(call.MessageId, answer);
        Volatile.Write(ref _pendingCall, pending);
        try
        {
            await Send(call, cancellation);
            return await answer.Task.WaitAsync(_options.CallTimeout, cancellation);
        }
        catch (TimeoutException)
        {
            return null;
        }
        catch (Exception e)
            when (!cancellation.IsCancellationRequested
                && e is WebSocketException or ObjectDisposedException or OperationCanceledException
            )
        {
            _logger.LogInformation(
                "{Action} to {ChargePointId} unanswered: the connection ended ({Reason})",
                action,
                ChargePointId,
                e.GetType().Name
            );
            return null;
        }
        finally
        {
            Interlocked.CompareExchange(ref _pendingCall, null, pending);
            _outstandingCall.Release();
        }
    }

    private Task Send(OcppFrame frame, CancellationToken cancellation) => SendBytes(Encode(frame), cancellation);

    // The frame as it goes on the wire. Every CALLERROR is encoded here: its code in the words of the connection's
    // version.
    private byte[] Encode(OcppFrame frame)
    {
        if (
            frame is OcppCallError error
            && OcppErrorCode.Spelled(error.ErrorCode, Protocol.Subprotocol) is var spelled
            && spelled != error.ErrorCode
        )
            frame = error with { ErrorCode = spelled };
        return Encoding.UTF8.GetBytes(frame.Serialize());
    }

    private async Task SendBytes(byte[] bytes, CancellationToken cancellation)
    {
        await _sendLock.WaitAsync(cancellation);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellation);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task CloseForIdle()
    {
        _logger.LogWarning(
            "Station {ChargePointId} sent nothing for {IdleSeconds} s; disconnected",
            ChargePointId,
            _options.IdleTimeout.TotalSeconds
        );
        await CloseQuietly(WebSocketCloseStatus.NormalClosure, "idle timeout");
    }

    private async Task CloseQuietly(WebSocketCloseStatus status, string description)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _socket.CloseOutputAsync(status, description, timeout.Token);
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
}

/// <summary>The CALL a connection waits on, by its message id.</summary>
internal sealed class PendingCall(string messageId, TaskCompletionSource<OcppFrame> answer)
{
    public string MessageId { get; } = messageId;

    public TaskCompletionSource<OcppFrame> Answer { get; } = answer;
}
