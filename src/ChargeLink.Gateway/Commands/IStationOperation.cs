namespace ChargeLink.Gateway.Commands;

/// <summary>
/// What one kind of station command adds to the path every command takes (<see cref="StationCommandConsumer{T}"/>:
/// routed here, claimed once in the ledger, sent, answered, told): how its log names it, whether it may still be
/// sent, and the fact its answer becomes. The CALL itself is the station's version's, one file per version
/// (<see cref="V16.IV16Command"/>, <see cref="V2.IV2Command"/>). A new operation is this file, those two and its
/// contract.
/// </summary>
public interface IStationOperation<in TCommand>
    where TCommand : class, IStationCommand
{
    /// <summary>What the command is about, for its log lines ("payment pay_1", "transaction 42").</summary>
    string Subject(TCommand command);

    /// <summary>The idTag the command ledger keeps with the claim, and the connector it is for (a start's: a resent
    /// StartTransaction is recognised by it, a 2.x event that names no EVSE is placed by it), else null.</summary>
    IssuedIdTag? ClaimedIdTag(TCommand command);

    /// <summary>The outcome to report without sending, for a command that came too late to act on; null to
    /// send.</summary>
    CommandOutcome? TooLate(TCommand command, DateTimeOffset now);

    /// <summary>Done just before the CALL goes (a start's idTag becomes one the connection accepts).</summary>
    void Sending(StationConnection station, TCommand command);

    /// <summary>Whether a command whose CALL went may go again after a failure: a second stop is harmless, a second
    /// start is not (the group's answer timeout covers a lost outcome).</summary>
    bool MayResendAfterFailure { get; }

    /// <summary>The fact the group hears of the station's answer: the outcome, and the status the station answered
    /// with (its CALLRESULT's <c>status</c>, null when there was none).</summary>
    object Completed(TCommand command, CommandOutcome outcome, string? stationStatus, DateTimeOffset at);
}
