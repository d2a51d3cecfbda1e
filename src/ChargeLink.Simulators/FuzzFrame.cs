namespace ChargeLink.Simulators;

/// <summary>
/// One frame of <see cref="FrameFuzzer"/>: <see cref="Text"/> or <see cref="Binary"/>; whether the gateway owes it
/// exactly one answer carrying the message id given to <see cref="FrameFuzzer.Next"/>; whether it must make the gateway
/// close the connection with MessageTooBig (1009).
/// </summary>
public sealed record FuzzFrame(string? Text, byte[]? Binary, bool ExpectsAnswer, bool ClosesConnection)
{
    /// <summary>The value of <see cref="Expected"/> for a frame that must be answered with a CALLRESULT.</summary>
    public const string CallResult = "CALLRESULT";

    /// <summary>
    /// The answer the frame must get where the version's rules settle it: <see cref="CallResult"/> or a CALLERROR code,
    /// as the version spells it; null where any well-formed answer will do (several mistakes at once, or values whose
    /// reading the rules leave open).
    /// </summary>
    public string? Expected { get; init; }
}
