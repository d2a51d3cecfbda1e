namespace ChargeLink.ServiceDefaults;

/// <summary>
/// The PostgreSQL NOTIFY channel on which the console's pages hear that a group changed (payload lines:
/// <c>groupId TAB version</c>; version 0 when only a station's presence changed). One per Marten schema.
/// </summary>
public static class GroupChangesChannel
{
    // NOTIFY refuses payloads of 8,000 bytes or more.
    private const int MaxPayloadBytes = 7000;

    public static string Of(string schema) => $"chargelink_groups_{schema}";

    /// <summary>The payloads that carry <paramref name="lines"/>, each within NOTIFY's limit.</summary>
    public static IEnumerable<string> Payloads(IEnumerable<string> lines)
    {
        var payload = new System.Text.StringBuilder();
        var bytes = 0;
        foreach (var line in lines)
        {
            var size = System.Text.Encoding.UTF8.GetByteCount(line) + 1;
            if (payload.Length > 0 && bytes + size > MaxPayloadBytes)
            {
                yield return payload.ToString();
                payload.Clear();
                bytes = 0;
            }
            payload.Append(payload.Length > 0 ? "\n" : "").Append(line);
            bytes += size;
        }
        if (payload.Length > 0)
            yield return payload.ToString();
    }
}
