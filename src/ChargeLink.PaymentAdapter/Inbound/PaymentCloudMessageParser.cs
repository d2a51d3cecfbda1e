using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ChargeLink.PaymentAdapter.Inbound;

/// <summary>
/// Reads the payment cloud's JSON exactly as the contract defines it. Dates stay strings until checked as
/// RFC 3339, numbers must be integers, and every rejection says which field and why.
/// </summary>
public static partial class PaymentCloudMessageParser
{
    public const int MaxIdLength = 64;

    public static PaymentCloudMessage Parse(ReadOnlySpan<byte> body)
    {
        JObject json;
        try
        {
            using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(body)))
            {
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Decimal,
            };
            json = JObject.Load(reader);
            if (reader.Read() && reader.TokenType != JsonToken.Comment)
                throw new PaymentMessageRejectedException("not JSON: content after the object");
        }
        catch (JsonReaderException e)
        {
            throw new PaymentMessageRejectedException($"not a JSON object: {e.Message}");
        }

        var type = String(json, "type", 64);
        var paymentId = Id(json, "paymentId");
        return type switch
        {
            "payment.authorized" => Authorized(json, paymentId),
            "payment.cancelled" => new PaymentCancelledMessage(paymentId),
            _ => throw new PaymentMessageRejectedException(
                $"type: \"{type}\" is not payment.authorized or payment.cancelled"
            ),
        };
    }

    private static PaymentAuthorizedMessage Authorized(JObject json, string paymentId)
    {
        var terminalId = Id(json, "terminalId");
        if (json["amount"] is not JObject amount)
            throw new PaymentMessageRejectedException("amount: an object {value, currency} is required");
        if (amount["value"] is not JValue { Type: JTokenType.Integer, Value: long minor } || minor <= 0)
            throw new PaymentMessageRejectedException(
                "amount.value: a whole number of minor units > 0 (and < 2^63) is required"
            );
        var currency = String(amount, "currency", 3, "amount.currency");
        if (!CurrencyCode().IsMatch(currency))
            throw new PaymentMessageRejectedException($"amount.currency: \"{currency}\" is not an ISO 4217 code");
        var authorizedText = String(json, "authorizedAt", 64);
        if (!Rfc3339.TryParse(authorizedText, out var authorizedAt))
            throw new PaymentMessageRejectedException(
                $"authorizedAt: \"{authorizedText}\" is not an RFC 3339 timestamp"
            );
        string? maskedPan = null;
        if (json["maskedPan"] is { Type: not JTokenType.Null } pan)
        {
            maskedPan =
                pan.Type == JTokenType.String
                    ? pan.Value<string>()
                    : throw new PaymentMessageRejectedException("maskedPan: must be a string");
            if (maskedPan is { Length: > 32 } || (maskedPan is not null && maskedPan.Count(char.IsAsciiDigit) > 10))
                throw new PaymentMessageRejectedException(
                    "maskedPan: must be masked (at most the first six and last four digits visible)"
                );
        }
        return new PaymentAuthorizedMessage(paymentId, terminalId, minor, currency, authorizedAt, maskedPan);
    }

    private static string String(JObject json, string name, int maxLength, string? path = null)
    {
        path ??= name;
        if (json[name] is not JValue { Type: JTokenType.String } token)
            throw new PaymentMessageRejectedException($"{path}: a string is required");
        var text = token.Value<string>()!;
        if (text.Length == 0 || text.Length > maxLength)
            throw new PaymentMessageRejectedException($"{path}: must be 1-{maxLength} characters");
        return text;
    }

    // A paymentId or terminalId: 1-64 printable ASCII characters, no space, no control character (README), so that an
    // id can never forge a log line, a CSV row or a header, whatever writes it later.
    private static string Id(JObject json, string name)
    {
        var id = String(json, name, MaxIdLength);
        return IdChars().IsMatch(id)
            ? id
            : throw new PaymentMessageRejectedException(
                $"{name}: printable ASCII characters only (no space, no control character)"
            );
    }

    [GeneratedRegex("^[\\x21-\\x7E]+\\z")]
    private static partial Regex IdChars();

    [GeneratedRegex("^[A-Z]{3}\\z")]
    private static partial Regex CurrencyCode();
}
