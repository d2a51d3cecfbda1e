namespace ChargeLink.Gateway.Commands;

/// <summary>
/// What every operator's act on a station shares (<see cref="IOperatorActCommand"/>): sent once per act, never too
/// late (the operator is waiting for it now), not resent after a failure (the operator sees the answer and may act
/// again), its answer told to the group as the station said it. An act's own operation is one line deriving from
/// this.
/// </summary>
public abstract class OperatorActOperation<TCommand> : IStationOperation<TCommand>
    where TCommand : class, IOperatorActCommand
{
    public string Subject(TCommand command) => $"operator act {command.ActId}";

    public IssuedIdTag? ClaimedIdTag(TCommand command) => null;

    public CommandOutcome? TooLate(TCommand command, DateTimeOffset now) => null;

    public void Sending(StationConnection station, TCommand command) { }

    public bool MayResendAfterFailure => false;

    public object Completed(TCommand command, CommandOutcome outcome, string? stationStatus, DateTimeOffset at) =>
        new OperatorActCompleted(
            command.GroupId,
            command.ActId,
            command.ChargePointId,
            outcome is CommandOutcome.Accepted or CommandOutcome.Rejected && stationStatus is not null
                ? stationStatus
                : outcome.ToString(),
            at
        );
}

/// <summary>UnlockConnector: an operator's act.</summary>
public sealed class UnlockConnectorOperation : OperatorActOperation<UnlockConnector>;

/// <summary>ResetStation: an operator's act.</summary>
public sealed class ResetStationOperation : OperatorActOperation<ResetStation>;

/// <summary>TriggerStatus: an operator's act.</summary>
public sealed class TriggerStatusOperation : OperatorActOperation<TriggerStatus>;

/// <summary>ChangeAvailability: an operator's act.</summary>
public sealed class ChangeAvailabilityOperation : OperatorActOperation<ChangeAvailability>;
