namespace ChargeLink.Gateway;

public sealed record GatewayOptions
{
    public const string Subprotocol = "ocpp1.6";

    /// <summary>Frames above this size close the connection (MessageTooBig).</summary>
    public int MaxFrameBytes { get; init; } = 64 * 1024;

    /// <summary>How long a CALL of ours waits for the station's answer.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The heartbeat interval BootNotification hands to stations.</summary>
    public int HeartbeatIntervalSeconds { get; init; } = 300;
}
