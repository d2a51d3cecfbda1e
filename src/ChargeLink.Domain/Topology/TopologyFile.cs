using System.Text.Json;
using System.Text.RegularExpressions;

namespace ChargeLink.Domain.Topology;

/// <summary>
/// Reads the operator's topology file (the shape is an external contract) and enforces its rules:
/// a terminal and a station belong to one group only, connector ids are positive and unique per station, and a station
/// without a password says so openly (security profile 0, on it or its group).
/// Every error names the entry at fault, as a JSON path plus its id where it has one.
/// </summary>
public static partial class TopologyFile
{
    public const int MaxTerminalIdLength = 64;

    // OCPP-J identities travel in a URL path segment; the security whitepaper caps them at 48 characters.
    public const int MaxChargePointIdLength = 48;

    public static SiteTopology Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(
                json,
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }
            );
        }
        catch (JsonException e)
        {
            throw new TopologyException(
                $"topology: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}"
            );
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new TopologyException("topology: the file must hold a JSON object with \"stationGroups\"");
            var groupsElement = Required(root, "stationGroups", JsonValueKind.Array, "topology");
            if (groupsElement.GetArrayLength() == 0)
                throw new TopologyException("topology.stationGroups: at least one station group is needed");

            var groups = new List<StationGroup>();
            var groupIds = new Dictionary<string, string>(StringComparer.Ordinal);
            var terminalOwners = new Dictionary<string, string>(StringComparer.Ordinal);
            var stationOwners = new Dictionary<string, string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var groupElement in groupsElement.EnumerateArray())
            {
                var group = ParseGroup(groupElement, $"stationGroups[{index++}]");
                var at = $"stationGroups[{index - 1}] ({group.Id})";
                if (!groupIds.TryAdd(group.Id, at))
                    throw new TopologyException(
                        $"{at}: group id \"{group.Id}\" is used twice (also {groupIds[group.Id]})"
                    );
                foreach (var terminal in group.Terminals)
                {
                    if (!terminalOwners.TryAdd(terminal, group.Id))
                        throw new TopologyException(
                            $"{at}.terminals: terminal \"{terminal}\" already belongs to group "
                                + $"\"{terminalOwners[terminal]}\"; a terminal belongs to one group only"
                        );
                }
                foreach (var station in group.Stations)
                {
                    if (!stationOwners.TryAdd(station.ChargePointId, group.Id))
                        throw new TopologyException(
                            $"{at}.stations: station \"{station.ChargePointId}\" already belongs to group "
                                + $"\"{stationOwners[station.ChargePointId]}\"; a station belongs to one group only"
                        );
                }
                groups.Add(group);
            }
            return new SiteTopology(groups);
        }
    }

    private static StationGroup ParseGroup(JsonElement element, string at)
    {
        RequireObject(element, at);
        var id = RequiredString(element, "id", at, 64);
        at = $"{at} ({id})";
        var name = OptionalString(element, "name", at) ?? id;

        var tariffElement = Required(element, "tariff", JsonValueKind.Object, at);
        var price = Required(tariffElement, "pricePerKwhMinor", JsonValueKind.Number, $"{at}.tariff");
        if (!price.TryGetInt64(out var pricePerKwh) || pricePerKwh < 0)
            throw new TopologyException(
                $"{at}.tariff.pricePerKwhMinor: must be a whole number of minor units >= 0, not {price.GetRawText()}"
            );
        var currency = RequiredString(tariffElement, "currency", $"{at}.tariff", 3);
        if (!CurrencyCode().IsMatch(currency))
            throw new TopologyException(
                $"{at}.tariff.currency: \"{currency}\" is not an ISO 4217 code (three capital letters)"
            );

        var terminals = new List<string>();
        var terminalIndex = 0;
        foreach (var terminal in Required(element, "terminals", JsonValueKind.Array, at).EnumerateArray())
        {
            var where = $"{at}.terminals[{terminalIndex++}]";
            if (
                terminal.ValueKind != JsonValueKind.String
                || terminal.GetString() is not { Length: > 0 and <= MaxTerminalIdLength } terminalId
                || !TerminalIdChars().IsMatch(terminalId)
            )
                throw new TopologyException(
                    $"{where}: a terminal id is a string of 1-{MaxTerminalIdLength} printable ASCII "
                        + "characters, no space (as the payment cloud sends it)"
                );
            if (terminals.Contains(terminalId, StringComparer.Ordinal))
                throw new TopologyException($"{where}: terminal \"{terminalId}\" is listed twice");
            terminals.Add(terminalId);
        }

        var securityProfile = OptionalSecurityProfile(element, at);
        var stations = new List<StationDefinition>();
        var stationIndex = 0;
        foreach (var station in Required(element, "stations", JsonValueKind.Array, at).EnumerateArray())
            stations.Add(ParseStation(station, $"{at}.stations[{stationIndex++}]", securityProfile));
        if (stations.Count == 0)
            throw new TopologyException($"{at}.stations: a group needs at least one station");

        return new StationGroup(id, name, new Tariff(pricePerKwh, currency), terminals, stations, securityProfile);
    }

    private static StationDefinition ParseStation(JsonElement element, string at, int? groupProfile)
    {
        RequireObject(element, at);
        var chargePointId = RequiredString(element, "chargePointId", at, MaxChargePointIdLength);
        if (!ChargePointIdChars().IsMatch(chargePointId))
            throw new TopologyException(
                $"{at}.chargePointId: \"{chargePointId}\" must be letters, digits, '-', '_' or '.' "
                    + "(it is a URL path segment)"
            );
        at = $"{at} ({chargePointId})";

        var connectors = new List<int>();
        var connectorIndex = 0;
        foreach (var connector in Required(element, "connectors", JsonValueKind.Array, at).EnumerateArray())
        {
            var where = $"{at}.connectors[{connectorIndex++}]";
            if (
                connector.ValueKind != JsonValueKind.Number
                || !connector.TryGetInt32(out var connectorId)
                || connectorId <= 0
            )
                throw new TopologyException(
                    $"{where}: a connector id is a positive integer, not {connector.GetRawText()}"
                );
            if (connectors.Contains(connectorId))
                throw new TopologyException(
                    $"{where}: connector {connectorId} is listed twice; connector ids are unique within a station"
                );
            connectors.Add(connectorId);
        }
        if (connectors.Count == 0)
            throw new TopologyException($"{at}.connectors: a station needs at least one connector");

        var password = OptionalString(element, "password", at);
        if (password is { Length: 0 })
            throw new TopologyException($"{at}.password: leave it out for no password; an empty one is not allowed");
        return new StationDefinition(
            chargePointId,
            connectors,
            password,
            SecurityProfileOf(element, at, password is not null, groupProfile)
        );
    }

    // Profile 0 is no password, 1 and 2 are HTTP Basic (2 over TLS), 3 a TLS client certificate. A station's own word
    // wins; a group's 0 is the choice for its stations without a password only, so one with a password in such a group
    // is still on 1 or 2.
    private static int? SecurityProfileOf(JsonElement element, string at, bool hasPassword, int? groupProfile)
    {
        var own = OptionalSecurityProfile(element, at);
        if (own == 0 && hasPassword)
            throw new TopologyException(
                $"{at}.securityProfile: 0 means no password, but the station has one; remove the password or the 0"
            );
        if ((own ?? groupProfile) == 3 && hasPassword)
            throw new TopologyException(
                $"{at}: profile 3 authenticates the station by its TLS client certificate, not a "
                    + "password; remove the \"password\""
            );
        if (own is 1 or 2 && !hasPassword)
            throw new TopologyException(
                $"{at}.securityProfile: profile {own} needs a password (HTTP Basic); give the "
                    + "station a \"password\" or say 0"
            );
        if (own is not null)
            return own;
        if (groupProfile is 1 or 2 && !hasPassword)
            throw new TopologyException(
                $"{at}: no \"password\", but its group says securityProfile {groupProfile}, which "
                    + "needs one; give the station a password or say \"securityProfile\": 0 on it"
            );
        return hasPassword && groupProfile == 0 ? null : groupProfile;
    }

    private static int? OptionalSecurityProfile(JsonElement parent, string at)
    {
        if (!parent.TryGetProperty("securityProfile", out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var profile) || profile is < 0 or > 3)
            throw new TopologyException(
                $"{at}.securityProfile: must be 0 (no password), 1 (HTTP Basic), 2 (HTTP Basic "
                    + $"over TLS) or 3 (TLS client certificate), not {value.GetRawText()}"
            );
        return profile;
    }

    private static void RequireObject(JsonElement element, string at)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new TopologyException($"{at}: must be a JSON object");
    }

    private static JsonElement Required(JsonElement parent, string name, JsonValueKind kind, string at)
    {
        if (!parent.TryGetProperty(name, out var value))
            throw new TopologyException($"{at}: \"{name}\" is missing");
        if (value.ValueKind != kind)
            throw new TopologyException(
                $"{at}.{name}: must be a JSON {kind.ToString().ToLowerInvariant()}, not "
                    + $"{value.ValueKind.ToString().ToLowerInvariant()}"
            );
        return value;
    }

    private static string RequiredString(JsonElement parent, string name, string at, int maxLength)
    {
        var value = Required(parent, name, JsonValueKind.String, at).GetString()!;
        if (value.Trim().Length == 0 || value.Length > maxLength)
            throw new TopologyException($"{at}.{name}: must be 1-{maxLength} characters, not \"{value}\"");
        return value;
    }

    private static string? OptionalString(JsonElement parent, string name, string at)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new TopologyException($"{at}.{name}: must be a string");
        return value.GetString();
    }

    [GeneratedRegex("^[A-Z]{3}\\z")]
    private static partial Regex CurrencyCode();

    /// <summary>Whether <paramref name="chargePointId"/> could be a station of a topology at all: checked before
    /// anything logs it.</summary>
    public static bool IsChargePointId(string chargePointId) =>
        chargePointId.Length is > 0 and <= MaxChargePointIdLength && ChargePointIdChars().IsMatch(chargePointId);

    [GeneratedRegex("^[A-Za-z0-9._-]+\\z")]
    private static partial Regex ChargePointIdChars();

    [GeneratedRegex("^[\\x21-\\x7E]+\\z")]
    private static partial Regex TerminalIdChars();
}
