namespace ChargeLink.Domain.Groups;

/// <summary>What became of a RemoteStartTransaction.</summary>
public enum RemoteStartOutcome
{
    Accepted,
    Rejected,

    /// <summary>The station was connected to no gateway.</summary>
    Offline,

    /// <summary>No answer within the bound.</summary>
    TimedOut,

    /// <summary>The station answered with a CALLERROR.</summary>
    Failed,

    /// <summary>Before charging began, the connector reported Faulted or Unavailable: the start failed there.</summary>
    ConnectorUnavailable,
}
