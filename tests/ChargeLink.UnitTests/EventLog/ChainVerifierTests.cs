using System.Text;
using ChargeLink.EventLog;

namespace ChargeLink.UnitTests.EventLog;

public sealed class ChainVerifierTests
{
    private static readonly Guid Stream = Guid.Parse("3777c5ec-1afe-56db-8e7f-eb51a3721423");

    // Four events chained as the orchestrator writes them.
    private static List<StoredEvent> Chained(int count = 4)
    {
        var events = new List<StoredEvent>();
        var link = EventChain.Genesis;
        for (var version = 1; version <= count; version++)
        {
            var json = $$"""{"PaymentId": "pay_{{version}}", "AmountMinor": {{version * 100}}}""";
            link = EventChain.Link(link, Stream, version, "payment_void_requested_v1", json);
            events.Add(new StoredEvent(version, Stream, version, "payment_void_requested_v1", DateTimeOffset.UnixEpoch, json, link));
        }
        return events;
    }

    private static Task<ChainReport> Verify(IEnumerable<StoredEvent> events, long? claimedVersion = null) =>
        ChainVerifier.Verify(events.ToAsyncEnumerable(), new Dictionary<Guid, long> { [Stream] = claimedVersion ?? events.Max(e => e.Version) });

    [Test]
    public async Task An_untouched_stream_verifies()
    {
        var report = await Verify(Chained());
        Assert.That((report.Intact, report.Events, report.Streams), Is.EqualTo((true, 4L, 1)));
    }

    [Test]
    public async Task An_edited_event_is_named()
    {
        var events = Chained();
        events[2] = events[2] with { Json = events[2].Json.Replace("300", "1", StringComparison.Ordinal) };
        var finding = (await Verify(events)).Findings.Single();
        Assert.That(finding.Version, Is.EqualTo(3));
        Assert.That(finding.Problem, Does.Contain("edited"));
    }

    [Test]
    public async Task A_deleted_event_is_named_by_the_version_that_is_missing()
    {
        var events = Chained();
        events.RemoveAt(1);
        var finding = (await Verify(events, claimedVersion: 4)).Findings.Single();
        Assert.That(finding.Version, Is.EqualTo(2));
        Assert.That(finding.Problem, Does.Contain("version 2 is missing"));
    }

    [Test]
    public async Task Events_deleted_from_the_end_are_noticed_against_the_stream_s_version()
    {
        var finding = (await Verify(Chained().Take(3), claimedVersion: 4)).Findings.Single();
        Assert.That(finding.Problem, Does.Contain("events 4..4 were deleted"));
    }

    [Test]
    public async Task An_event_inserted_with_a_copied_link_is_named()
    {
        var events = Chained();
        events.Add(events[3] with { Sequence = 5, Version = 5, Json = """{"PaymentId": "pay_forged", "AmountMinor": 1}""" });
        var finding = (await Verify(events, claimedVersion: 5)).Findings.Single();
        Assert.That(finding.Version, Is.EqualTo(5));
    }

    [Test]
    public async Task An_event_without_a_link_fails()
    {
        var events = Chained();
        events[0] = events[0] with { Chain = null };
        Assert.That((await Verify(events)).Findings.Single().Problem, Does.Contain("no hash link"));
    }

    [Test]
    public void The_canonical_form_ignores_key_order_and_whitespace_and_nothing_else()
    {
        var stored = Encoding.UTF8.GetString(EventChain.Canonical("""{"b": 1, "a": {"y": "é", "x": [1, 2]}}"""));
        Assert.That(stored, Is.EqualTo("""{"a":{"x":[1,2],"y":"é"},"b":1}"""));
        Assert.That(EventChain.Canonical("""{"a":{"x":[1,2],"y":"é"},"b":1}"""), Is.EqualTo(EventChain.Canonical("""{ "b":1,"a":{"y":"\u00e9","x":[1,2]} }""")));
        Assert.That(EventChain.Canonical("""{"a": 1}"""), Is.Not.EqualTo(EventChain.Canonical("""{"a": 2}""")));
    }
}
