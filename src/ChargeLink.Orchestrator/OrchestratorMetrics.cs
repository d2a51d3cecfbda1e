using Prometheus;

namespace ChargeLink.Orchestrator;

/// <summary>Counters of the orchestrator on /metrics, registered with prometheus-net directly so they show from the
/// start, at zero.</summary>
public static class OrchestratorMetrics
{
    public static readonly Counter SessionsOverdue = Metrics.CreateCounter(
        "chargelink_orchestrator_sessions_overdue",
        "sessions that charged past the bound without StopTransaction (rule 12)"
    );

    public static readonly Counter SessionsEndedWithoutStop = Metrics.CreateCounter(
        "chargelink_orchestrator_sessions_ended_without_stop",
        "overdue sessions settled from the last meter reading because no StopTransaction came (rule 12)"
    );

    public static readonly Counter Commits = Metrics.CreateCounter(
        "chargelink_orchestrator_commits",
        "PostgreSQL transactions that appended groups' events (one per batch of group commit)"
    );

    public static readonly Counter CommittedAppends = Metrics.CreateCounter(
        "chargelink_orchestrator_committed_appends",
        "groups' appends committed; divided by chargelink_orchestrator_commits, the mean batch"
    );

    public static readonly Gauge RelayLag = Metrics.CreateGauge(
        "chargelink_orchestrator_relay_lag_seconds",
        "how far behind the clock the command relay has passed the stream (its own lag of "
            + "3 s included), on the leading instance"
    );

    public static readonly Counter RelayRepublished = Metrics.CreateCounter(
        "chargelink_orchestrator_relay_republished",
        "commands the relay published again because nobody on its instance saw them confirmed"
    );

    public static readonly Counter EventsFoldedOnLoad = Metrics.CreateCounter(
        "chargelink_orchestrator_events_folded_on_load",
        "events read to load a group this instance did not hold (after its last snapshot)"
    );

    public static readonly Counter PreloadedFolds = Metrics.CreateCounter(
        "chargelink_orchestrator_preloaded_folds",
        "groups folded at start whose first message found them still current (used) or not (stale: read again)",
        "outcome"
    );

    public static readonly Counter FactsBeyondRetention = Metrics.CreateCounter(
        "chargelink_orchestrator_facts_beyond_retention",
        "messages about a payment the retention rule has let the group forget (or may have): they change nothing",
        "kind"
    );
}
