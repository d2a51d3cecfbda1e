namespace ChargeLink.Gateway.Stations;

/// <summary>
/// The last answers given to each station. A station that did not get an answer (a lost frame, a dropped
/// connection) resends the same CALL — same message id, action and payload; it gets the same answer, and
/// nothing is handled or published twice (a resent StartTransaction must not get a second transaction id).
/// Kept per station across reconnects, the last <see cref="PerStation"/> answers each; forgotten when the
/// station boots, because a rebooted station may count its message ids from the start again.
/// </summary>
public sealed class AnsweredCalls
{
    public const int PerStation = 64;
    private readonly ConcurrentDictionary<string, Recent> _stations = new(StringComparer.Ordinal);

    public OcppFrame? Find(string chargePointId, OcppCall call) =>
        _stations.TryGetValue(chargePointId, out var recent) ? recent.Find(call.MessageId, Fingerprint(call)) : null;

    public void Remember(string chargePointId, OcppCall call, OcppFrame answer) =>
        _stations.GetOrAdd(chargePointId, _ => new Recent()).Remember(call.MessageId, Fingerprint(call), answer);

    public void Forget(string chargePointId) => _stations.TryRemove(chargePointId, out _);

    private static string Fingerprint(OcppCall call) => call.Action + "\n" + call.Payload.ToJsonString();

    private sealed class Recent
    {
        private readonly Queue<string> _order = new();
        private readonly Dictionary<string, (string Fingerprint, OcppFrame Answer)> _answers = new(
            StringComparer.Ordinal
        );

        public OcppFrame? Find(string messageId, string fingerprint)
        {
            lock (_answers)
                return _answers.TryGetValue(messageId, out var hit) && hit.Fingerprint == fingerprint
                    ? hit.Answer
                    : null;
        }

        public void Remember(string messageId, string fingerprint, OcppFrame answer)
        {
            lock (_answers)
            {
                if (_answers.TryAdd(messageId, (fingerprint, answer)))
                    _order.Enqueue(messageId);
                while (_order.Count > PerStation)
                    _answers.Remove(_order.Dequeue());
            }
        }
    }
}
