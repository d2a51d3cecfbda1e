namespace ChargeLink.Gateway.Stations;

/// <summary>
/// One lock per station (striped): a connection's bind-and-register and an old connection's remove-and-unbind
/// for the same station must not interleave, or a reconnecting station can end up registered with its routing
/// removed — and every command for it answered Offline.
/// </summary>
public sealed class StationLocks
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<IDisposable> Take(string chargePointId, CancellationToken cancellation)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(chargePointId) % (uint)_stripes.Length];
        await stripe.WaitAsync(cancellation);
        return new Release(stripe);
    }

    private sealed class Release(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                stripe.Release();
        }
    }
}
