using System.Security.Cryptography;

namespace ChargeLink.Gateway.Stations;

/// <summary>
/// The last answers given to each station. A station that did not get an answer (a lost frame, a dropped
/// connection) resends the same CALL — same message id, action and payload; it gets the same answer, and
/// nothing is handled or published twice (a resent StartTransaction must not get a second transaction id).
/// Kept per station across reconnects, the last <see cref="PerStation"/> answers each, with the connection that gave
/// them (an earlier connection's answer is given only where the version says a resend crosses connections, <see
/// cref="IStationProtocol.ResentAcrossConnections"/>); forgotten when the station boots, because a rebooted station may
/// count its message ids from the start again. What is kept of a CALL is a SHA-256 of its action and payload, and of
/// its answer the bytes that were sent: a hash and a few hundred bytes instead of the payload's text and the answer's
/// JSON tree (dotnet-gcdump at 10,000 stations: about 1 KB a station).
/// </summary>
public sealed class AnsweredCalls
{
    public const int PerStation = 64;
    private readonly ConcurrentDictionary<string, Recent> _stations = new(StringComparer.Ordinal);

    /// <summary>What identifies a CALL here: its message id, and a hash of its action and payload (the same message id
    /// with another action or payload is another CALL, answered afresh). Made once per frame, for the lookup and the
    /// remembering both.</summary>
    public readonly record struct CallKey(string MessageId, byte[] Fingerprint);

    public static CallKey KeyOf(OcppCall call) =>
        new(
            call.MessageId,
            SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(call.Action + "\n" + call.Payload.ToJsonString()))
        );

    /// <summary>The answer sent to this very CALL before, as it was sent, on <paramref name="connection"/> or, when
    /// <paramref name="acrossConnections"/>, on any; null if none.</summary>
    public byte[]? Find(string chargePointId, CallKey call, long connection, bool acrossConnections) =>
        _stations.TryGetValue(chargePointId, out var recent)
        && recent.Find(call.MessageId, call.Fingerprint) is { } hit
        && (acrossConnections || hit.Connection == connection)
            ? hit.Answer
            : null;

    /// <param name="connection">The connection the answer was sent on (<see cref="StationConnection.Serial"/>).</param>
    /// <param name="answer">The answer as sent, whole frame, UTF-8.</param>
    public void Remember(string chargePointId, CallKey call, long connection, byte[] answer) =>
        _stations
            .GetOrAdd(chargePointId, _ => new Recent())
            .Remember(call.MessageId, call.Fingerprint, connection, answer);

    public void Forget(string chargePointId) => _stations.TryRemove(chargePointId, out _);

    private sealed class Recent
    {
        private readonly Queue<string> _order = new();
        private readonly Dictionary<string, (byte[] Fingerprint, long Connection, byte[] Answer)> _answers = new(
            StringComparer.Ordinal
        );

        public (long Connection, byte[] Answer)? Find(string messageId, byte[] fingerprint)
        {
            lock (_answers)
                return
                    _answers.TryGetValue(messageId, out var hit) && hit.Fingerprint.AsSpan().SequenceEqual(fingerprint)
                    ? (hit.Connection, hit.Answer)
                    : null;
        }

        public void Remember(string messageId, byte[] fingerprint, long connection, byte[] answer)
        {
            lock (_answers)
            {
                // The newest answer to an id wins: a new CALL under an id an earlier connection used (1.6) replaces it.
                if (_answers.TryAdd(messageId, (fingerprint, connection, answer)))
                    _order.Enqueue(messageId);
                else
                    _answers[messageId] = (fingerprint, connection, answer);
                while (_order.Count > PerStation)
                    _answers.Remove(_order.Dequeue());
            }
        }
    }
}
