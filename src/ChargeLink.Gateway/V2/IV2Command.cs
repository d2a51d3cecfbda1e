namespace ChargeLink.Gateway.V2;

/// <summary>
/// One CALL the gateway sends an OCPP 2.0.1 or 2.1 station for a command, written in one file for both (the
/// <see cref="V2Dialect"/> says where they differ): adding one is adding a class (found at start by
/// <see cref="Extensions.AddStationActions"/>; its action joins each version's catalogue as one the gateway sends).
/// </summary>
public interface IV2Command
{
    /// <summary>The command it carries (a contract implementing <see cref="IStationCommand"/>).</summary>
    Type Command { get; }

    /// <summary>The action's name on the wire.</summary>
    string Action { get; }

    Task<JsonObject> Payload(IStationCommand command, V2Dialect dialect, CancellationToken cancellation);
}

/// <summary>The typed side of <see cref="IV2Command"/>: a file writes its own command's payload.</summary>
public abstract class V2Command<TCommand> : IV2Command
    where TCommand : IStationCommand
{
    public Type Command => typeof(TCommand);

    public abstract string Action { get; }

    public Task<JsonObject> Payload(IStationCommand command, V2Dialect dialect, CancellationToken cancellation) =>
        Payload((TCommand)command, dialect, cancellation);

    protected abstract Task<JsonObject> Payload(TCommand command, V2Dialect dialect, CancellationToken cancellation);
}
