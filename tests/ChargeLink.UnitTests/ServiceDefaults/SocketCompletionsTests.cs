using ChargeLink.ServiceDefaults;

namespace ChargeLink.UnitTests.ServiceDefaults;

public sealed class SocketCompletionsTests
{
    [Test]
    public void Inline_unless_the_process_was_started_with_a_value_of_its_own()
    {
        var original = Environment.GetEnvironmentVariable(SocketCompletions.Variable);
        try
        {
            Environment.SetEnvironmentVariable(SocketCompletions.Variable, null);
            Assert.That(SocketCompletions.RunInline(), Is.EqualTo("1"));
            Assert.That(Environment.GetEnvironmentVariable(SocketCompletions.Variable), Is.EqualTo("1"), "what the runtime reads");

            Environment.SetEnvironmentVariable(SocketCompletions.Variable, "0");
            Assert.That(SocketCompletions.RunInline(), Is.EqualTo("0"));
            Assert.That(Environment.GetEnvironmentVariable(SocketCompletions.Variable), Is.EqualTo("0"), "an operator's 0 turns it off");
        }
        finally
        {
            Environment.SetEnvironmentVariable(SocketCompletions.Variable, original);
        }
    }
}
