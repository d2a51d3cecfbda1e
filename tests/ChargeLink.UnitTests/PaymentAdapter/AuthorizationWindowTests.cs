using ChargeLink.PaymentAdapter.Inbound;

namespace ChargeLink.UnitTests.PaymentAdapter;

public sealed class AuthorizationWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly AuthorizationWindow _window = new(MaxAge: TimeSpan.FromMinutes(15), ClockSkew: TimeSpan.FromMinutes(2));

    [TestCase(0)]
    [TestCase(-899)]
    [TestCase(119)]
    public void An_authorization_inside_the_window_passes(int secondsFromNow) =>
        Assert.DoesNotThrow(() => _window.Check(Now.AddSeconds(secondsFromNow), Now));

    [Test]
    public void An_authorization_older_than_the_maximum_age_is_refused_as_a_replay()
    {
        var refused = Assert.Throws<PaymentMessageRejectedException>(() => _window.Check(Now.AddSeconds(-901), Now));
        Assert.That(refused!.Check, Is.EqualTo(RejectionCheck.Age));
        Assert.That(refused.Message, Does.Contain("901 s old").And.Contain("replay"));
    }

    [Test]
    public void An_authorization_further_ahead_than_the_clock_skew_is_refused()
    {
        var refused = Assert.Throws<PaymentMessageRejectedException>(() => _window.Check(Now.AddSeconds(121), Now));
        Assert.That(refused!.Check, Is.EqualTo(RejectionCheck.Age));
        Assert.That(refused.Message, Does.Contain("121 s ahead"));
    }
}
