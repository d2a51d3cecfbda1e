namespace ChargeLink.EventLog;

/// <summary>
/// The tables the orchestrator writes through Marten, by the names the CLI and the bench read them by. Marten names a
/// document's table mt_doc_ + its alias; the orchestrator configures the aliases from here.
/// </summary>
public static class StoredNames
{
    public const string Events = "mt_events";
    public const string Streams = "mt_streams";

    /// <summary>Each group's summary (<c>GroupSummary</c>), for reads.</summary>
    public const string GroupSummaryAlias = "group_summary";

    /// <summary>
    /// Each payment's record (<c>PaymentRecord</c>): for reads, and the one place that says which group a payment
    /// belongs to, which routes the cloud's cancellations (they name only the payment).
    /// </summary>
    public const string PaymentRecordAlias = "payment_record";

    /// <summary>Each group's state at a recent version of its stream (<c>StreamSnapshot</c>): a cache for cold starts,
    /// never the truth.</summary>
    public const string StreamSnapshotAlias = "stream_snapshot";

    public const string GroupSummaries = "mt_doc_" + GroupSummaryAlias;
    public const string PaymentRecords = "mt_doc_" + PaymentRecordAlias;
    public const string StreamSnapshots = "mt_doc_" + StreamSnapshotAlias;
}
