using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ChargeLink.EventLog;

/// <summary>
/// Tamper evidence: every event carries link_n = SHA-256(link_{n-1} || stream id || version || type || canonical
/// JSON of its data), written in the same row (and so the same transaction) as the event. Recomputing the chain
/// from the stored events shows an event edited, deleted or inserted behind ChargeLink's back. It cannot show a
/// chain rewritten as a whole by someone who can write the database and run this code: for that, the latest link
/// of each stream must be kept somewhere they cannot reach (exported, printed, signed).
/// </summary>
public static class EventChain
{
    /// <summary>The Marten event header that holds the link.</summary>
    public const string Header = "chain";

    /// <summary>The link before a stream's first event.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string Link(string previous, Guid streamId, long version, string type, string json)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Convert.FromHexString(previous));
        hash.AppendData(Encoding.UTF8.GetBytes($"{streamId:N}\n{version}\n{type}\n"));
        hash.AppendData(Canonical(json));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The same bytes for the same JSON value however it was written: object keys sorted (ordinal), no
    /// whitespace, strings and numbers as written. PostgreSQL's jsonb reorders keys and whitespace, nothing else.
    /// </summary>
    public static byte[] Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (
            var writer = new Utf8JsonWriter(
                buffer,
                new JsonWriterOptions
                {
                    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                }
            )
        )
            Write(document.RootElement, writer);
        return buffer.ToArray();
    }

    private static void Write(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(property.Value, writer);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    Write(item, writer);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
