using ChargeLink.Domain.Groups;
using ChargeLink.Domain.Topology;
using ChargeLink.ServiceDefaults;

namespace ChargeLink.Orchestrator.Deciding;

/// <summary>Each group's policy: its tariff from the topology, the bounds from the settings.</summary>
public sealed class GroupPolicies(SiteTopology topology, ChargeLinkSettings settings)
{
    private readonly Dictionary<string, GroupPolicy> _policies = topology.Groups.ToDictionary(
        g => g.Id,
        g => new GroupPolicy(g.Tariff, settings.PaymentWait, settings.RemoteStartAnswerTimeout, settings.TransactionStartTimeout)
        {
            MaxChargingDuration = settings.SessionMaxDuration,
            StopGrace = settings.SessionStopGrace,
        },
        StringComparer.Ordinal);

    public GroupPolicy For(string groupId) =>
        _policies.TryGetValue(groupId, out var policy)
            ? policy
            : throw new InvalidOperationException($"group \"{groupId}\" is not in the topology");
}
