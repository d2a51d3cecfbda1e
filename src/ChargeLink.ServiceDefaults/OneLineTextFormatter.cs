using System.Globalization;
using System.Text;
using Serilog.Events;
using Serilog.Formatting;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// The text log's formatter: one event, one line. Whatever an event carries (a station id from a URL, a payment id, an
/// exception's message and stack) is written with its control characters escaped (\n, \r, \t, \u001b, ...), so no value
/// can start a line of its own that a reader or a log shipper would take for another event.
/// </summary>
public sealed class OneLineTextFormatter(ITextFormatter inner) : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var rendered = new StringWriter(CultureInfo.InvariantCulture);
        inner.Format(logEvent, rendered);
        output.Write(Escape(rendered.ToString().TrimEnd('\r', '\n')));
        output.Write('\n');
    }

    /// <summary><paramref name="text"/> with every control and line-separating character escaped.</summary>
    public static string Escape(string text)
    {
        if (!text.Any(IsControl))
            return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => escaped.Append("\\n"),
                '\r' => escaped.Append("\\r"),
                '\t' => escaped.Append("\\t"),
                _ when IsControl(c) => escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => escaped.Append(c),
            };
        }
        return escaped.ToString();
    }

    // C0, DEL, C1, and the Unicode line and paragraph separators.
    private static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
