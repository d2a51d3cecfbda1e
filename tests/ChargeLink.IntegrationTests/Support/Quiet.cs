using ChargeLink.Orchestrator.Delivering;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>
/// How long "nothing more arrives" must be watched: the longest a copy of a command can still come, from the code's own
/// constants — the command relay republishes every command within <see cref="CommandRelay.RepublishWindow"/> of its
/// append — plus the time a message takes through the broker and a service on a loaded 2-core machine.
/// </summary>
public static class Quiet
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(2);

    public static TimeSpan AfterRepublish => CommandRelay.RepublishWindow + Delivery;
}
