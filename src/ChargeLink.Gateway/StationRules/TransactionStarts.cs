using MassTransit;

namespace ChargeLink.Gateway.StationRules;

/// <summary>
/// A transaction that begins, whichever OCPP version tells it (1.6's StartTransaction, 2.x's TransactionEvent with the
/// payment's token): recorded in the ledger first, so that a resend (lost answer, reboot, restart, new message id,
/// another gateway instance) gets the same transaction id, then published to the group before the station hears its
/// answer: once it does, it charges, and the group must know. Marked published a moment later (<see
/// cref="PublishedMarks"/>): a resend after that is not published again.
/// </summary>
public sealed class TransactionStarts(
    IBus bus,
    TimeProvider clock,
    TransactionLedger ledger,
    ILogger<TransactionStarts> logger
)
{
    /// <summary>The transaction's id in ChargeLink; the group is told once, whatever the number of resends.</summary>
    /// <param name="meterStartWh">The register at the start; null when the station has not read it yet (the decider
    /// takes the first it gets).</param>
    public async Task<int> Begin(
        StationConnection connection,
        TransactionKey key,
        int connectorId,
        string idTag,
        long? meterStartWh,
        DateTimeOffset startedAt,
        CancellationToken cancellation
    )
    {
        var recorded = await ledger.Record(key, connectorId, cancellation);
        if (recorded.Repeat)
            logger.LogInformation(
                "The start on {ChargePointId}/{ConnectorId} repeats transaction {TransactionId}; "
                    + "answered with the same id",
                connection.ChargePointId,
                connectorId,
                recorded.TransactionId
            );
        if (!recorded.Published)
        {
            await bus.Publish(
                new TransactionStarted(
                    connection.Group.Id,
                    connection.ChargePointId,
                    connectorId,
                    idTag,
                    recorded.TransactionId,
                    meterStartWh,
                    startedAt,
                    clock.GetUtcNow()
                ),
                cancellation
            );
            ledger.MarkPublished(key);
            logger.LogInformation(
                "Transaction {TransactionId} started on {ChargePointId}/{ConnectorId} with meter {MeterStart} Wh",
                recorded.TransactionId,
                connection.ChargePointId,
                connectorId,
                meterStartWh
            );
        }
        return recorded.TransactionId;
    }
}
