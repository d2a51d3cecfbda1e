using ChargeLink.Gateway.Stations;

namespace ChargeLink.UnitTests.Gateway;

/// <summary>
/// What a connection keeps of the idTags it issued is bounded (a station connected for months starts thousands of
/// sessions): the newest are kept with their holds, the oldest go, and a repeat takes no second place.
/// </summary>
public sealed class RecentIdTagsTests
{
    [Test]
    public void An_issued_idTag_is_known_with_its_hold_and_another_is_not()
    {
        var tags = new RecentIdTags();
        tags.Issue("CLTAG1", 5000);
        tags.Issue("CLTAG2", null);
        Assert.Multiple(() =>
        {
            Assert.That(tags.Contains("CLTAG1"), Is.True);
            Assert.That(tags.HeldAmountOf("CLTAG1"), Is.EqualTo(5000));
            Assert.That(tags.Contains("CLTAG2"), Is.True);
            Assert.That(tags.HeldAmountOf("CLTAG2"), Is.Null, "issued without a known hold");
            Assert.That(tags.Contains("cltag1"), Is.False, "idTags compare exactly");
            Assert.That(tags.Contains("OTHER"), Is.False);
        });
    }

    [Test]
    public void Past_its_capacity_the_oldest_go_and_the_newest_stay()
    {
        var tags = new RecentIdTags();
        const int issued = RecentIdTags.Capacity + 10;
        for (var n = 0; n < issued; n++)
            tags.Issue($"TAG{n}", n);
        var kept = Enumerable.Range(0, issued).Where(n => tags.Contains($"TAG{n}")).ToList();
        Assert.That(kept, Is.EqualTo(Enumerable.Range(10, RecentIdTags.Capacity)), "the last 32 of 42");
        Assert.That(tags.HeldAmountOf($"TAG{issued - 1}"), Is.EqualTo(issued - 1));
        Assert.That(tags.HeldAmountOf("TAG9"), Is.Null, "forgotten with its idTag");
    }

    [Test]
    public void An_idTag_issued_again_takes_the_newest_place_with_the_new_hold()
    {
        var tags = new RecentIdTags();
        tags.Issue("AGAIN", 100);
        tags.Issue("TAG-BETWEEN", null);
        tags.Issue("AGAIN", 150);
        Assert.That(tags.HeldAmountOf("AGAIN"), Is.EqualTo(150), "the hold it is asked with now");

        tags = new RecentIdTags();
        tags.Issue("AGAIN", 100);
        for (var n = 0; n < RecentIdTags.Capacity - 1; n++)
            tags.Issue($"TAG{n}", null);
        tags.Issue("AGAIN", 200);
        tags.Issue("ONE-MORE", null);
        Assert.Multiple(() =>
        {
            Assert.That((tags.Contains("AGAIN"), tags.HeldAmountOf("AGAIN")), Is.EqualTo((true, (long?)200)), "renewed, so not the oldest");
            Assert.That(tags.Contains("TAG0"), Is.False, "the oldest once AGAIN was renewed");
            Assert.That(tags.Contains("TAG1"), Is.True, "one place only went: AGAIN took no second one");
        });
    }
}
