using System.Text.Json.Nodes;
using ChargeLink.Gateway.Ocpp;
using NUnit.Framework;

namespace ChargeLink.UnitTests.Gateway;

/// <summary>One catalogue per version: what a station's CALL of each action gets, decided before the payload.</summary>
public sealed class OcppCatalogueTests
{
    private static readonly OcppCatalogue V16 = new(
        OcppSchemas.V16,
        answered: ["Heartbeat", "StartTransaction"],
        noted: [],
        sent: ["RemoteStartTransaction"]
    );

    private static readonly OcppCatalogue V201 = new(
        OcppSchemas.V201,
        answered: ["Heartbeat"],
        noted: ["NotifyReport"],
        sent: ["RequestStartTransaction"]
    );

    [Test]
    public void The_1_6_schemas_define_the_core_profile_and_the_security_whitepaper()
    {
        Assert.That(OcppSchemas.V16.Actions, Has.Member("StartTransaction").And.Member("SignCertificate"));
        Assert.That(OcppSchemas.V16.Actions, Has.No.Member("TransactionEvent"));
    }

    [Test]
    public void An_action_the_version_does_not_define_is_NotImplemented_whatever_it_carries()
    {
        var error = Assert.Throws<OcppViolation>(() => V16.Admit(Call("TransactionEvent", [])))!;
        Assert.That(error.Code, Is.EqualTo(OcppErrorCode.NotImplemented));
        error = Assert.Throws<OcppViolation>(() => V201.Admit(Call("StartTransaction", [])))!;
        Assert.That(error.Code, Is.EqualTo(OcppErrorCode.NotImplemented));
    }

    [Test]
    public void An_action_of_the_version_not_taken_from_a_station_is_NotSupported_before_its_payload_is_read()
    {
        var error = Assert.Throws<OcppViolation>(() => V16.Admit(Call("RemoteStartTransaction", [])))!;
        Assert.That(error.Code, Is.EqualTo(OcppErrorCode.NotSupported), "the gateway sends it; a station does not");
        error = Assert.Throws<OcppViolation>(() => V16.Admit(Call("SignCertificate", new() { ["x"] = 1 })))!;
        Assert.That(error.Code, Is.EqualTo(OcppErrorCode.NotSupported));
    }

    [Test]
    public void An_answered_action_is_admitted_only_with_a_payload_its_schema_allows()
    {
        Assert.That(V16.Admit(Call("Heartbeat", [])), Is.EqualTo(StationActionHandling.Answered));
        var start = new JsonObject { ["connectorId"] = 1, ["idTag"] = "TAG", ["meterStart"] = 0 };
        var error = Assert.Throws<OcppViolation>(() => V16.Admit(Call("StartTransaction", start)))!;
        Assert.That(error.Code, Is.EqualTo(OcppErrorCode.OccurrenceConstraintViolation), "timestamp is required");
        start["timestamp"] = "yesterday";
        error = Assert.Throws<OcppViolation>(() => V16.Admit(Call("StartTransaction", start)))!;
        Assert.That(error.Code, Is.EqualTo(OcppErrorCode.PropertyConstraintViolation), "a date-time string");
        start["timestamp"] = "2026-12-06T10:00:00Z";
        Assert.That(V16.Admit(Call("StartTransaction", start)), Is.EqualTo(StationActionHandling.Answered));
        Assert.That(V201.Admit(Call("NotifyReport", NotifyReport())), Is.EqualTo(StationActionHandling.Noted));
    }

    [Test]
    public void A_catalogue_that_names_an_action_its_version_does_not_define_refuses_to_be_built()
    {
        Assert.Throws<InvalidOperationException>(() =>
            _ = new OcppCatalogue(OcppSchemas.V16, ["Heartbeat", "TransactionEvent"], [], [])
        );
        Assert.Throws<InvalidOperationException>(() => _ = new OcppCatalogue(OcppSchemas.V201, [], [], ["Reset16"]));
    }

    [Test]
    public void The_catalogue_holds_every_action_of_the_version_and_says_which_the_gateway_sends()
    {
        Assert.That(V16.Entries.Select(e => e.Action), Is.EquivalentTo(OcppSchemas.V16.Actions));
        Assert.That(V16.Entries.Where(e => e.SentToStation).Select(e => e.Action), Is.EqualTo(new[] { "RemoteStartTransaction" }));
    }

    // The security whitepaper's notifications: a 1.6 station on profile 1-3 sends them and expects an answer.
    [TestCase("SecurityEventNotification", """{"type":"StartupOfTheDevice","timestamp":"2026-12-08T10:00:00Z"}""")]
    [TestCase("SignedFirmwareStatusNotification", """{"status":"Downloading"}""")]
    [TestCase("LogStatusNotification", """{"status":"Idle"}""")]
    public void The_1_6_protocol_answers_the_security_whitepapers_notifications(string action, string payload)
    {
        var catalogue = new ChargeLink.Gateway.V16.V16Protocol([], []).Catalogue;
        Assert.That(catalogue.Admit(Call(action, JsonNode.Parse(payload)!.AsObject())), Is.EqualTo(StationActionHandling.Noted));
    }

    // A station chooses its action's length (up to the frame's size); the CALLERROR's description and the log repeat a
    // bounded part of it.
    [Test]
    public void An_unknown_action_of_any_length_is_named_in_at_most_64_characters()
    {
        var action = new string('A', 5_000);
        var refusal = Assert.Throws<OcppViolation>(() => V16.Admit(Call(action, [])))!;
        Assert.That((refusal.Code, refusal.Message.Length), Is.EqualTo((OcppErrorCode.NotImplemented, "unknown action ".Length + 64)));
    }

    [Test]
    public void A_CALLERROR_description_is_at_most_255_characters_and_never_splits_a_surrogate_pair()
    {
        var error = new OcppCallError("m-1", OcppErrorCode.FormatViolation, new string('x', 253) + "😀😀");
        var sent = JsonNode.Parse(error.Serialize())!.AsArray()[3]!.GetValue<string>();
        Assert.That(sent, Has.Length.LessThanOrEqualTo(255).And.EndWith("…"));
        Assert.That(sent.Any(char.IsSurrogate), Is.False, "the pair that did not fit is left out whole");
        Assert.That(new OcppCallError("m-2", OcppErrorCode.FormatViolation, "short").Description, Is.EqualTo("short"));
    }

    private static OcppCall Call(string action, JsonObject payload) => new("m-1", action, payload);

    private static JsonObject NotifyReport() =>
        new() { ["requestId"] = 1, ["generatedAt"] = "2026-12-06T10:00:00Z", ["seqNo"] = 0 };
}
