namespace ChargeLink.Contracts;

/// <summary>A station command that carries out an operator's act: its answer goes back as
/// <see cref="OperatorActCompleted"/> for <see cref="ActId"/>.</summary>
public interface IOperatorActCommand : IStationCommand
{
    string ActId { get; }
}
