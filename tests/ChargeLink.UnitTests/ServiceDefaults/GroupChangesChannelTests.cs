using System.Text;
using ChargeLink.ServiceDefaults;

namespace ChargeLink.UnitTests.ServiceDefaults;

/// <summary>PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more: however many groups changed, none is that long.</summary>
public sealed class GroupChangesChannelTests
{
    [TestCase(1)]
    [TestCase(500)]
    [TestCase(2000)]
    public void Every_payload_is_under_NOTIFYs_limit_and_together_they_carry_every_line_once(int groups)
    {
        var lines = Enumerable.Range(0, groups).Select(i => $"bench-s-{i:00000}-é\t0").ToList();
        var payloads = GroupChangesChannel.Payloads(lines).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(payloads.Select(p => Encoding.UTF8.GetByteCount(p)), Has.All.LessThan(8000));
            Assert.That(payloads.SelectMany(p => p.Split('\n')), Is.EqualTo(lines));
        });
    }

    [Test]
    public void No_lines_make_no_payload() =>
        Assert.That(GroupChangesChannel.Payloads([]), Is.Empty);
}
