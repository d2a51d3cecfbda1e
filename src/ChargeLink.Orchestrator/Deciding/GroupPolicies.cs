using System.Collections.Immutable;

namespace ChargeLink.Orchestrator.Deciding;

/// <summary>
/// Each group's policy: its tariff and connectors from the topology, the bounds from the settings. A group the topology
/// no longer has (its stream remains, with payments or sessions perhaps open) gets the policy of a removed group, under
/// which the decider ends what it holds by the rules, instead of a fault on every message.
/// </summary>
public sealed class GroupPolicies(SiteTopology topology, ChargeLinkSettings settings, IdTagKey idTagKey)
{
    private readonly Dictionary<string, GroupPolicy> _policies = topology.Groups.ToDictionary(
        g => g.Id,
        g =>
            Policy(g.Tariff, settings) with
            {
                Connectors = g
                    .Stations.SelectMany(s => s.Connectors.Select(c => new ConnectorRef(s.ChargePointId, c)))
                    .ToImmutableHashSet(),
            },
        StringComparer.Ordinal
    );

    // The tariff of a removed group is unknown: its sessions settle at the price recorded with each payment.
    private readonly GroupPolicy _removed = GroupPolicy.Removed(Policy(new Tariff(0, ""), settings));

    public GroupPolicy For(string groupId) =>
        (_policies.GetValueOrDefault(groupId) ?? _removed) with
        {
            IdTagKey = idTagKey.Value,
        };

    private static GroupPolicy Policy(Tariff tariff, ChargeLinkSettings settings) =>
        new(tariff, settings.PaymentWait, settings.RemoteStartAnswerTimeout, settings.TransactionStartTimeout)
        {
            MaxChargingDuration = settings.SessionMaxDuration,
            StopGrace = settings.SessionStopGrace,
            MaxHoldMinor = settings.PaymentMaxHoldMinor,
            Retention = settings.Retention,
        };
}
