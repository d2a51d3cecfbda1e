namespace ChargeLink.Contracts;

/// <summary>
/// Where commands for one station go: a direct exchange keyed by chargePointId. Each gateway instance binds its
/// own queue to the keys of the stations it holds; a command for a station connected nowhere falls through to the
/// alternate exchange, whose queue every gateway consumes to answer "Offline" at once.
/// </summary>
public static class StationCommandExchange
{
    public const string Exchange = "chargelink.station-commands";
    public const string Unroutable = "chargelink.station-commands.unroutable";

    /// <summary>The MassTransit send address; the routing key is the chargePointId.</summary>
    public static readonly Uri Address = new($"exchange:{Exchange}?type=direct&alternateexchange={Unroutable}");
}
