namespace ChargeLink.Gateway.V16;

/// <summary>
/// One CALL the gateway sends an OCPP 1.6 station for a command, written in one file: adding one is adding a class
/// (found at start by <see cref="Extensions.AddStationActions"/>; its action joins the version's catalogue as one the
/// gateway sends).
/// </summary>
public interface IV16Command
{
    /// <summary>The command it carries (a contract implementing <see cref="IStationCommand"/>).</summary>
    Type Command { get; }

    /// <summary>The action's name on the wire.</summary>
    string Action { get; }

    Task<JsonObject> Payload(IStationCommand command, CancellationToken cancellation);
}

/// <summary>The typed side of <see cref="IV16Command"/>: a file writes its own command's payload.</summary>
public abstract class V16Command<TCommand> : IV16Command
    where TCommand : IStationCommand
{
    public Type Command => typeof(TCommand);

    public abstract string Action { get; }

    public Task<JsonObject> Payload(IStationCommand command, CancellationToken cancellation) =>
        Payload((TCommand)command, cancellation);

    protected abstract Task<JsonObject> Payload(TCommand command, CancellationToken cancellation);
}
