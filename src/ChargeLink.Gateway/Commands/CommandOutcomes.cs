namespace ChargeLink.Gateway.Commands;

/// <summary>A station's answer to a command, as the group hears of it.</summary>
public static class CommandOutcomes
{
    /// <param name="answer">The CALLRESULT or CALLERROR; null when none came in time.</param>
    public static CommandOutcome Of(OcppFrame? answer) =>
        answer switch
        {
            OcppCallResult { Payload: var payload } when payload["status"]?.ToString() == "Accepted" =>
                CommandOutcome.Accepted,
            OcppCallResult => CommandOutcome.Rejected,
            OcppCallError => CommandOutcome.Failed,
            _ => CommandOutcome.TimedOut,
        };

    /// <summary>The status a CALLRESULT answered with (Unlocked, Scheduled, ...), bounded as the schemas bound an
    /// enum's value; null for any other answer.</summary>
    public static string? StatusOf(OcppFrame? answer) =>
        answer is OcppCallResult { Payload: var payload }
        && payload["status"]?.ToString() is { Length: > 0 and <= 50 } status
            ? status
            : null;
}
