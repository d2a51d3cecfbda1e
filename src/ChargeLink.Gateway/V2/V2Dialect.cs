namespace ChargeLink.Gateway.V2;

/// <summary>
/// What differs between OCPP 2.0.1 and 2.1 for ChargeLink's flow; everything else of 2.x is one code.
/// </summary>
/// <param name="Subprotocol">The version's WebSocket subprotocol.</param>
/// <param name="Schemas">The OCA's schemas of the version.</param>
/// <param name="IdTokenType">The idToken type a payment's start carries: Central in 2.0.1, DirectPayment in 2.1 (use
/// case C24).</param>
/// <param name="TellsLimit">Whether the version lets the CSMS tell the station a transaction's limit (2.1's
/// transactionLimit).</param>
public sealed record V2Dialect(string Subprotocol, OcppSchemas Schemas, string IdTokenType, bool TellsLimit)
{
    public static readonly V2Dialect V201 = new(OcppVersion.V201, OcppSchemas.V201, "Central", TellsLimit: false);

    public static readonly V2Dialect V21 = new(OcppVersion.V21, OcppSchemas.V21, "DirectPayment", TellsLimit: true);
}
