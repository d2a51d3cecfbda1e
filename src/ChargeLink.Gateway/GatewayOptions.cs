using Microsoft.Extensions.Configuration;

namespace ChargeLink.Gateway;

/// <summary>The gateway's limits; each can be set through the variable named beside it (project-internal, not the
/// contract).</summary>
public sealed record GatewayOptions
{
    /// <summary>Frames above this size close the connection (MessageTooBig).</summary>
    public int MaxFrameBytes { get; init; } = 64 * 1024;

    /// <summary>How long a CALL of ours waits for the station's answer.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>WebSocket ping interval, and how long a pong may take before the connection is considered
    /// dead.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A station that sends no frame for this long is disconnected
    /// (CHARGELINK_GATEWAY_IDLE_SECONDS).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Frames a station may send per second, sustained (CHARGELINK_GATEWAY_FRAMES_PER_SECOND).</summary>
    public int FramesPerSecond { get; init; } = 20;

    /// <summary>Frames a station may send at once above the sustained rate.</summary>
    public int FrameBurst { get; init; } = 60;

    /// <summary>After this many frames refused in a row for the rate, the connection is closed.</summary>
    public int RefusalsBeforeClose { get; init; } = 200;

    /// <summary>The heartbeat interval BootNotification hands to stations.</summary>
    public int HeartbeatIntervalSeconds { get; init; } = 300;

    public static GatewayOptions From(IConfiguration configuration)
    {
        var defaults = new GatewayOptions();
        int Get(string name, int fallback) =>
            configuration[name] is { Length: > 0 } text
                ? int.TryParse(text, out var value) && value > 0
                    ? value
                    : throw new InvalidOperationException($"{name}: \"{text}\" is not a positive whole number")
                : fallback;
        var framesPerSecond = Get("CHARGELINK_GATEWAY_FRAMES_PER_SECOND", defaults.FramesPerSecond);
        return defaults with
        {
            IdleTimeout = TimeSpan.FromSeconds(
                Get("CHARGELINK_GATEWAY_IDLE_SECONDS", (int)defaults.IdleTimeout.TotalSeconds)
            ),
            FramesPerSecond = framesPerSecond,
            FrameBurst = Math.Max(framesPerSecond, Get("CHARGELINK_GATEWAY_FRAME_BURST", defaults.FrameBurst)),
        };
    }
}
