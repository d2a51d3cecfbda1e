using ChargeLink.ServiceDefaults;
using Serilog;

namespace ChargeLink.UnitTests.ServiceDefaults;

/// <summary>The text log as the services write it: whatever a value holds, one event stays one line.</summary>
public sealed class OneLineTextFormatterTests
{
    [Test]
    public void A_value_with_line_breaks_and_escape_sequences_cannot_start_a_line_of_its_own()
    {
        var output = new StringWriter();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(new TextSink(output)).CreateLogger())
        {
            logger.Warning("Connection refused: station {ChargePointId} is not in the topology", "CP-1\n[12:00:00.000 ERR] gateway: forged\r\u001b[2J\u2028");
            logger.Error(new InvalidOperationException("first line\nsecond line"), "Failed for {PaymentId}", "pay_1");
        }
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2), output.ToString());
        Assert.That(lines[0], Does.Contain("CP-1\\n[12:00:00.000 ERR] gateway: forged\\r\\u001b[2J\\u2028"));
        Assert.That(lines[1], Does.Contain("first line\\nsecond line"));
        Assert.That(output.ToString().Where(char.IsControl).Distinct(), Is.EqualTo(new[] { '\n' }), "the only control character is each event's own end of line");
    }

    // The formatter the services' console sink uses, on a writer of the test's.
    private sealed class TextSink(TextWriter output) : Serilog.Core.ILogEventSink
    {
        private readonly Serilog.Formatting.ITextFormatter _formatter = Extensions.TextFormatter();

        public void Emit(Serilog.Events.LogEvent logEvent) => _formatter.Format(logEvent, output);
    }
}
