namespace ChargeLink.ServiceDefaults;

/// <summary>
/// .NET hands each socket completion (an answer from RabbitMQ or PostgreSQL, a station's frame) from the socket
/// engine's thread to a thread-pool worker, one thread wake-up each; a session makes hundreds, and on two cores shared
/// with the broker and the database each is dear. With <see cref="Variable"/> at 1 the completion runs on the engine's
/// thread up to its next await (make bench-cpu, alternating pairs: 30.5 and 31.5 against 33.8 and 33.3 ms of CPU per
/// session; tap-to-start p50 15.9 and 22.2 against 49.2 and 32.4 ms). Safe because no service code blocks a thread on
/// I/O (a blocked engine thread would stall every socket of the process). The runtime reads the variable once, when the
/// first socket is made: <see cref="ServiceHost"/> sets it first. A value the process was started with wins (0 turns
/// it off).
/// </summary>
public static class SocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Sets <see cref="Variable"/> to 1 unless it was given; returns the value in force.</summary>
    public static string RunInline()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (given is null)
            Environment.SetEnvironmentVariable(Variable, "1");
        return given ?? "1";
    }
}
