using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChargeLink.Contracts;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>
/// A message as MassTransit carries it on the wire (its JSON envelope), written by hand: what a relay copy, or an attacker
/// with a stock AMQP client, would publish.
/// </summary>
public static class MassTransitEnvelope
{
    public const string ContentType = "application/vnd.masstransit+json";

    public static byte[] Of(Guid messageId, string messageUrn, object message) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["messageId"] = messageId.ToString(),
        ["messageType"] = new JsonArray(messageUrn),
        ["message"] = JsonSerializer.SerializeToNode(message, message.GetType(), JsonSerializerOptions.Web),
    }.ToJsonString());

    public static byte[] Of(StartCharging command, Guid? messageId = null) =>
        Of(messageId ?? Guid.NewGuid(), "urn:message:chargelink:start-charging:v1", command);
}
