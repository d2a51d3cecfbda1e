using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>
/// Gateway -> orchestrator: a station sent BootNotification. A start it had been asked for and not begun is lost with
/// the reboot (rule 15). Published before the station hears Accepted, so it precedes every status it reports after.
/// </summary>
[MessageUrn("chargelink:station-booted:v1")]
[EntityName("chargelink.station-booted.v1")]
public sealed record StationBooted(string GroupId, string ChargePointId, DateTimeOffset ReceivedAt) : IGroupMessage;
