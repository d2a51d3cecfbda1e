namespace ChargeLink.Gateway.StationRules;

/// <summary>
/// Which idTags (2.x: idTokens) the gateway accepts from a station, whichever OCPP version asks: only those ChargeLink
/// handed to that station with a remote start, on this connection or, by any gateway instance, before it.
/// </summary>
public sealed class IssuedTokens(CommandLedger commands)
{
    public async Task<bool> WasIssued(StationConnection connection, string idTag, CancellationToken cancellation) =>
        connection.IssuedIdTag(idTag) || await commands.WasIssued(connection.ChargePointId, idTag, cancellation);

    /// <summary>The connector (2.x: the EVSE) the station was asked to start on with this idTag, if it was.</summary>
    public Task<int?> ConnectorOf(StationConnection connection, string idTag, CancellationToken cancellation) =>
        commands.ConnectorOf(connection.ChargePointId, idTag, cancellation);

    /// <summary>The authorization status the station hears (1.6's idTagInfo, 2.x's idTokenInfo): Accepted or
    /// Invalid.</summary>
    public async Task<string> StatusOf(StationConnection connection, string idTag, CancellationToken cancellation) =>
        await WasIssued(connection, idTag, cancellation) ? "Accepted" : "Invalid";
}
