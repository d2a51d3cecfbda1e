using System.Text.Json.Serialization;

namespace ChargeLink.Contracts;

/// <summary>What became of a command to a station (RemoteStartTransaction, RemoteStopTransaction). On the wire as its
/// name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CommandOutcome>))]
public enum CommandOutcome
{
    Accepted,
    Rejected,

    /// <summary>The station is connected to no gateway.</summary>
    Offline,

    /// <summary>No answer in time, or the command was too old to send.</summary>
    TimedOut,

    /// <summary>The station answered with a CALLERROR.</summary>
    Failed,
}
