namespace ChargeLink.Contracts;

/// <summary>
/// A command for one station, sent to <see cref="StationCommandExchange"/> with the chargePointId as its routing key:
/// the gateway instance that holds the station's socket turns it into the station's CALL, and its answer into a fact.
/// </summary>
public interface IStationCommand
{
    string GroupId { get; }

    string ChargePointId { get; }
}
