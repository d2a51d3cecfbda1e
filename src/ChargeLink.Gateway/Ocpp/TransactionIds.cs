namespace ChargeLink.Gateway.Ocpp;

/// <summary>
/// Hands out OCPP transaction ids (a 32-bit integer). Per process for now: it starts from a random base
/// so that a restarted gateway does not reuse the ids it gave before.
/// </summary>
public sealed class TransactionIds
{
    private int _last = Random.Shared.Next(1, int.MaxValue / 2);

    public int Next() => Interlocked.Increment(ref _last);
}
