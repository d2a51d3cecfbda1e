using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>Orchestrator timer -> group saga: a deadline of the group is due; the saga checks them all.</summary>
[MessageUrn("chargelink:group-deadline-due:v1")]
[EntityName("chargelink.group-deadline-due.v1")]
public sealed record GroupDeadlineDue(string GroupId, DateTimeOffset DueAt) : IGroupMessage;
