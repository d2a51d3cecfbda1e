using System.Buffers;
using System.Net.WebSockets;

namespace ChargeLink.Gateway.Stations;

public sealed partial class StationConnection
{
    // Over the rate a CALL gets a CALLERROR without being handled; a station that keeps flooding is disconnected.
    private async Task<bool> RefuseForRate(string? text, CancellationToken cancellation)
    {
        GatewayMetrics.FramesRateLimited.Add(1);
        if (++_refusedInARow == 1)
            _logger.LogWarning(
                "Station {ChargePointId} exceeds {FramesPerSecond} frames per second; frames refused",
                ChargePointId,
                _options.FramesPerSecond
            );
        if (_refusedInARow >= _options.RefusalsBeforeClose)
        {
            _logger.LogWarning(
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
                    $"more than {_options.FramesPerSecond} frames per second; retry later"
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
                var key = AnsweredCalls.KeyOf(call);
                if (call.Action == "BootNotification")
                    _answered.Forget(ChargePointId);
                else if (
                    _answered.Find(ChargePointId, key, Serial, Protocol.ResentAcrossConnections(call.Action)) is
                    { } earlier
                )
                {
                    _logger.LogInformation(
                        "{OcppAction} {OcppMessageId} from {ChargePointId} resent; answered as before",
                        OcppFrame.Clip(call.Action),
                        call.MessageId,
                        ChargePointId
                    );
                    await SendBytes(earlier, cancellation);
                    break;
                }
                var answer = await Answer(call, cancellation);
                var bytes = Encode(answer);
                // A failure on our side is not remembered: the resend must be handled afresh.
                if (answer is not OcppCallError { ErrorCode: OcppErrorCode.InternalError })
                    _answered.Remember(ChargePointId, key, Serial, bytes);
                await SendBytes(bytes, cancellation);
                break;
            case { Frame: OcppSend send } when OcppSend.Actions.Contains(send.Action):
                // Handled as a CALL, never answered; what it could not take is logged by the handler.
                await Answer(new OcppCall(send.MessageId, send.Action, send.Payload), cancellation);
                break;
            case { Frame: OcppSend other }:
                // No message of the standard, and a SEND has no answer to refuse it with: it is dropped, and nothing it
                // says is taken.
                GatewayMetrics.FramesDropped.Add(1);
                _logger.LogWarning(
                    "SEND {OcppAction} {OcppMessageId} from {ChargePointId} dropped: 2.1 defines SEND "
                        + "only for {SendActions}",
                    OcppFrame.Clip(other.Action),
                    other.MessageId,
                    ChargePointId,
                    OcppSend.Actions
                );
                break;
            case { Frame: OcppCallResultError refused }:
                _logger.LogWarning(
                    "Station {ChargePointId} could not take our answer {MessageId}: {ErrorCode} {Description}",
                    ChargePointId,
                    refused.MessageId,
                    OcppFrame.Clip(refused.ErrorCode),
                    OcppFrame.Clip(refused.Description, OcppFrame.MaxDescriptionLength)
                );
                break;
            case { Frame: { } reply }:
                if (
                    Volatile.Read(ref _pendingCall) is { } waiting
                    && waiting.MessageId == reply.MessageId
                    && Interlocked.CompareExchange(ref _pendingCall, null, waiting) == waiting
                )
                    waiting.Answer.TrySetResult(reply);
                else
                    _logger.LogWarning(
                        "Answer {MessageId} from {ChargePointId} matches no CALL of ours; dropped",
                        reply.MessageId,
                        ChargePointId
                    );
                break;
            case { Error: { } error }:
                _logger.LogWarning(
                    "Bad frame from {ChargePointId}: {ErrorCode} {Description}",
                    ChargePointId,
                    error.ErrorCode,
                    error.Description
                );
                await Send(error, cancellation);
                break;
            default:
                GatewayMetrics.FramesDropped.Add(1);
                _logger.LogWarning("Frame from {ChargePointId} dropped: {Reason}", ChargePointId, parsed.Dropped);
                break;
        }
    }

    // One rule for every version: what the protocol returns is the CALLRESULT, a violation it reports is the CALLERROR,
    // anything else (typically the broker unreachable) is InternalError, which the station retries, so nothing is lost.
    private async Task<OcppFrame> Answer(OcppCall call, CancellationToken cancellation)
    {
        using var scope = _logger.BeginScope(
            new Dictionary<string, object>
            {
                ["ChargePointId"] = ChargePointId,
                ["GroupId"] = Group.Id,
                ["OcppAction"] = OcppFrame.Clip(call.Action),
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
            _logger.LogWarning(
                "{OcppAction} from {ChargePointId} refused: {ErrorCode} {Description}",
                OcppFrame.Clip(call.Action),
                ChargePointId,
                violation.Code,
                OcppFrame.Clip(violation.Message, OcppFrame.MaxDescriptionLength)
            );
            return new OcppCallError(call.MessageId, violation.Code, violation.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            GatewayMetrics.CallErrors.Add(1);
            _logger.LogError(e, "{OcppAction} from {ChargePointId} failed", OcppFrame.Clip(call.Action), ChargePointId);
            return new OcppCallError(
                call.MessageId,
                OcppErrorCode.InternalError,
                "the central system could not process this message; retry later"
            );
        }
    }
}
