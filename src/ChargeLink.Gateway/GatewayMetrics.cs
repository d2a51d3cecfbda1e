using System.Diagnostics.Metrics;

namespace ChargeLink.Gateway;

/// <summary>Counters of the gateway (meter "ChargeLink.Gateway"), on /metrics as chargelink_gateway_*.</summary>
public static class GatewayMetrics
{
    private static readonly Meter Meter = new("ChargeLink.Gateway");

    public static readonly Counter<long> FramesDropped = Meter.CreateCounter<long>("frames_dropped", description: "frames that could not be answered (no readable message id)");
    public static readonly Counter<long> FramesRateLimited = Meter.CreateCounter<long>("frames_rate_limited", description: "frames refused because a station sent too many per second");
    public static readonly Counter<long> CallErrors = Meter.CreateCounter<long>("call_errors", description: "CALLERRORs sent to stations");
}
