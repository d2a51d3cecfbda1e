namespace ChargeLink.Gateway.Durable;

/// <summary>
/// What identifies a transaction a station began, whatever the message id of the frame that told it: the same start
/// told again is the same transaction. Each OCPP version has its own (<see cref="StartTransactionKey"/>,
/// <see cref="StationTransactionKey"/>), each its own table: they share only how the ledger asks.
/// </summary>
public abstract record TransactionKey(string ChargePointId)
{
    /// <summary>The ledger's table for this kind of key (in the deployment's schema).</summary>
    internal abstract string Table { get; }

    /// <summary>The columns that identify the transaction, in the order of <see cref="KeyValues"/>.</summary>
    internal abstract IReadOnlyList<string> KeyColumns { get; }

    /// <summary>The column that holds the connector (2.x: the EVSE) the transaction runs on.</summary>
    internal abstract string ConnectorColumn { get; }

    internal abstract IReadOnlyList<object> KeyValues();
}

/// <summary>
/// OCPP 1.6: a StartTransaction names no transaction, so what it says is the key (station, connector, idTag,
/// meterStart, timestamp). The idTag is kept as its UTF-8 bytes: a station's RFID tag may hold characters (NUL) that
/// PostgreSQL text cannot.
/// </summary>
public sealed record StartTransactionKey(
    string ChargePointId,
    int ConnectorId,
    string IdTag,
    long MeterStartWh,
    DateTimeOffset StartedAt
) : TransactionKey(ChargePointId)
{
    public const string TableName = "chargelink_station_transactions";

    internal override string Table => TableName;

    // Static: a record's equality would otherwise compare each key's own copy of the list.
    private static readonly string[] Columns =
    [
        "charge_point_id",
        "connector_id",
        "id_tag",
        "meter_start",
        "started_at",
    ];

    internal override IReadOnlyList<string> KeyColumns => Columns;

    internal override string ConnectorColumn => "connector_id";

    internal override IReadOnlyList<object> KeyValues() =>
        [ChargePointId, ConnectorId, Encoding.UTF8.GetBytes(IdTag), MeterStartWh, StartedAt.ToUniversalTime()];
}

/// <summary>
/// OCPP 2.0.1 and 2.1: the station names its transaction (a string unique on the station), whatever EVSE it runs on; a
/// TransactionEvent after the first need not name the EVSE. Kept as UTF-8 bytes, like 1.6's idTag (NUL is valid
/// JSON, not valid PostgreSQL text).
/// </summary>
public sealed record StationTransactionKey(string ChargePointId, string StationTransactionId)
    : TransactionKey(ChargePointId)
{
    public const string TableName = "chargelink_station_transactions_v2";

    internal override string Table => TableName;

    private static readonly string[] Columns = ["charge_point_id", "station_transaction_id"];

    internal override IReadOnlyList<string> KeyColumns => Columns;

    internal override string ConnectorColumn => "evse_id";

    internal override IReadOnlyList<object> KeyValues() =>
        [ChargePointId, Encoding.UTF8.GetBytes(StationTransactionId)];
}
