namespace ChargeLink.IntegrationTests.Support;

/// <summary>Waits for a condition with a deadline; never a bare sleep.</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T?>> probe, TimeSpan within, string what) where T : class
    {
        var deadline = DateTime.UtcNow + within;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe() is { } value)
                    return value;
            }
            catch (Exception e)
            {
                last = e;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"within {within.TotalSeconds:0.#} s: {what}{(last is null ? "" : $" (last error: {last.Message})")}");
        throw new InvalidOperationException("unreachable");
    }

    public static Task True(Func<Task<bool>> probe, TimeSpan within, string what) =>
        Get<object>(async () => await probe() ? new object() : null, within, what);
}
