using System.Globalization;
using System.Text.RegularExpressions;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// RFC 3339 date-times as both edges receive them (OCPP's dateTime, the payment cloud's authorizedAt):
/// a full date, a time with optional fraction, and an explicit offset or Z. No offset is not a point in time.
/// </summary>
public static partial class Rfc3339
{
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        return Shape().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})\z")]
    private static partial Regex Shape();
}
