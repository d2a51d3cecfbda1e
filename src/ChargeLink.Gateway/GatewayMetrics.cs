using System.Diagnostics.Metrics;

namespace ChargeLink.Gateway;

/// <summary>Counters of the gateway (meter "ChargeLink.Gateway"), on /metrics as chargelink_gateway_*.</summary>
public static class GatewayMetrics
{
    private static readonly Meter Meter = new("ChargeLink.Gateway");

    public static readonly Counter<long> FramesDropped = Meter.CreateCounter<long>(
        "frames_dropped",
        description: "frames that could not be answered (binary, or no readable message id)"
    );
    public static readonly Counter<long> FramesRateLimited = Meter.CreateCounter<long>(
        "frames_rate_limited",
        description: "frames refused because a station sent too many per second"
    );

    /// <summary>Registered with prometheus-net directly, so that it shows from the start, at zero.</summary>
    public static readonly Prometheus.Counter ProfileZeroReplacements = Prometheus.Metrics.CreateCounter(
        "chargelink_gateway_profile0_connections_replaced",
        "connections of security-profile-0 stations replaced by a new connection (a "
            + "reconnect, or someone else taking the station)"
    );
    public static readonly Counter<long> CallErrors = Meter.CreateCounter<long>(
        "call_errors",
        description: "CALLERRORs sent to stations"
    );
}
