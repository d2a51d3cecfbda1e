using System.Text.Json.Nodes;
using ChargeLink.Gateway.Ocpp;

namespace ChargeLink.UnitTests.Gateway;

public sealed class OcppFrameParserTests
{
    [Test]
    public void A_CALL_is_read_with_its_id_action_and_payload()
    {
        var parsed = OcppFrameParser.Parse("""[2, "19223201", "BootNotification", {"chargePointVendor": "VendorX", "chargePointModel": "SingleSocketCharger"}]""");
        var call = parsed.Frame as OcppCall;
        Assert.That(call, Is.Not.Null);
        Assert.That((call!.MessageId, call.Action, call.Payload["chargePointVendor"]!.GetValue<string>()), Is.EqualTo(("19223201", "BootNotification", "VendorX")));
    }

    [Test]
    public void A_CALLRESULT_and_a_CALLERROR_are_read_as_answers()
    {
        Assert.That(OcppFrameParser.Parse("""[3, "abc", {"status": "Accepted"}]""").Frame, Is.TypeOf<OcppCallResult>());
        var error = OcppFrameParser.Parse("""[4, "abc", "NotImplemented", "no", {}]""").Frame as OcppCallError;
        Assert.That(error?.ErrorCode, Is.EqualTo("NotImplemented"));
    }

    // Expected codes from the standards: OCPP-J 1.6 4.2.3 has only FormationViolation for a frame gone wrong; OCPP-J 2.0.1
    // part 4, 4.3 has RpcFrameworkError (no valid RPC), MessageTypeNotSupported and FormatViolation.
    [TestCase("""[2, "id-1", "Heartbeat", "not an object"]""", "id-1", "ocpp1.6", "FormationViolation")]
    [TestCase("""[2, "id-2", "Heartbeat", {}, "extra"]""", "id-2", "ocpp1.6", "FormationViolation")]
    [TestCase("""[2, "id-3", 17, {}]""", "id-3", "ocpp1.6", "FormationViolation")]
    [TestCase("""[7, "id-4", "Heartbeat", {}]""", "id-4", "ocpp1.6", "FormationViolation")]
    [TestCase("""["2", "id-5", "Heartbeat", {}]""", "id-5", "ocpp1.6", "FormationViolation")]
    [TestCase("""[6, "id-6", "Heartbeat", {}]""", "id-6", "ocpp1.6", "FormationViolation")]
    [TestCase("""[2, "id-1", "Heartbeat", "not an object"]""", "id-1", "ocpp2.0.1", "RpcFrameworkError")]
    [TestCase("""[2, "id-2", "Heartbeat", {}, "extra"]""", "id-2", "ocpp2.0.1", "RpcFrameworkError")]
    [TestCase("""[2, "id-3", 17, {}]""", "id-3", "ocpp2.1", "RpcFrameworkError")]
    [TestCase("""[7, "id-4", "Heartbeat", {}]""", "id-4", "ocpp2.0.1", "MessageTypeNotSupported")]
    [TestCase("""[7, "id-4", "Heartbeat", {}]""", "id-4", "ocpp2.1", "MessageTypeNotSupported")]
    [TestCase("""[6, "id-6", "Heartbeat", {}]""", "id-6", "ocpp2.0.1", "MessageTypeNotSupported")]
    [TestCase("""[5, "id-7", "GenericError", "x", {}]""", "id-7", "ocpp2.0.1", "MessageTypeNotSupported")]
    [TestCase("""["2", "id-5", "Heartbeat", {}]""", "id-5", "ocpp2.1", "RpcFrameworkError")]
    public void A_frame_with_a_readable_id_but_the_wrong_shape_gets_its_versions_code(string text, string id, string subprotocol, string code)
    {
        var parsed = OcppFrameParser.Parse(text, subprotocol);
        Assert.That(parsed.Error, Is.Not.Null);
        Assert.That((parsed.Error!.MessageId, OcppErrorCode.Spelled(parsed.Error.ErrorCode, subprotocol)), Is.EqualTo((id, code)));
        var wire = JsonNode.Parse(parsed.Error.Serialize())!.AsArray();
        Assert.That(wire, Has.Count.EqualTo(5), "[4, id, code, description, details]");
        Assert.That(wire[0]!.GetValue<int>(), Is.EqualTo(4));
    }

    [TestCase("""[6, "id-1", "NotifyPeriodicEventStream", {}]""")]
    [TestCase("""[5, "id-2", "FormatViolation", "no", {}]""")]
    public void In_2_1_a_SEND_and_a_CALLRESULTERROR_are_frames(string text) =>
        Assert.That(OcppFrameParser.Parse(text, "ocpp2.1").Frame, Is.InstanceOf<OcppSend>().Or.InstanceOf<OcppCallResultError>());

    [TestCase("""[6, "id-1"]""")]
    [TestCase("""[6, "id-1", 17, {}]""")]
    [TestCase("""[5, "id-2", 5]""")]
    public void In_2_1_a_malformed_SEND_or_CALLRESULTERROR_is_never_answered(string text)
    {
        var parsed = OcppFrameParser.Parse(text, "ocpp2.1");
        Assert.That((parsed.Frame, parsed.Error), Is.EqualTo(((OcppFrame?)null, (OcppCallError?)null)));
        Assert.That(parsed.Dropped, Is.Not.Null.And.Not.Empty);
    }

    [TestCase("FormationViolation", "ocpp2.0.1", "FormatViolation")]
    [TestCase("OccurenceConstraintViolation", "ocpp2.1", "OccurrenceConstraintViolation")]
    [TestCase("FormatViolation", "ocpp1.6", "FormationViolation")]
    [TestCase("OccurrenceConstraintViolation", "ocpp1.6", "OccurenceConstraintViolation")]
    [TestCase("TypeConstraintViolation", "ocpp1.6", "TypeConstraintViolation")]
    [TestCase("TypeConstraintViolation", "ocpp2.0.1", "TypeConstraintViolation")]
    [TestCase("GenericError", "ocpp2.1", "GenericError")]
    public void Each_code_is_spelled_as_the_version_spells_it(string code, string subprotocol, string spelled) =>
        Assert.That(OcppErrorCode.Spelled(code, subprotocol), Is.EqualTo(spelled));

    [Test]
    public void A_CALL_without_its_payload_gets_a_ProtocolError()
    {
        var parsed = OcppFrameParser.Parse("""[2, "id-6", "Heartbeat"]""");
        Assert.That((parsed.Error?.MessageId, parsed.Error?.ErrorCode), Is.EqualTo(("id-6", OcppErrorCode.ProtocolError)));
    }

    [TestCase("this is not json")]
    [TestCase("""{"an": "object"}""")]
    [TestCase("""[2]""")]
    [TestCase("""[2, 12345, "Heartbeat", {}]""")]
    [TestCase("""[2, "0123456789012345678901234567890123456", "Heartbeat", {}]""")]
    [TestCase("""[3, "id", "not an object"]""")]
    public void A_frame_that_cannot_be_answered_is_dropped_with_a_reason(string text)
    {
        var parsed = OcppFrameParser.Parse(text);
        Assert.That((parsed.Frame, parsed.Error), Is.EqualTo(((OcppFrame?)null, (OcppCallError?)null)));
        Assert.That(parsed.Dropped, Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public void Frames_serialize_as_OCPP_J_arrays()
    {
        Assert.That(new OcppCall("1", "RemoteStartTransaction", new JsonObject { ["connectorId"] = 1 }).Serialize(), Is.EqualTo("""[2,"1","RemoteStartTransaction",{"connectorId":1}]"""));
        Assert.That(new OcppCallResult("1", []).Serialize(), Is.EqualTo("""[3,"1",{}]"""));
        Assert.That(new OcppCallError("1", "GenericError", "oops").Serialize(), Is.EqualTo("""[4,"1","GenericError","oops",{}]"""));
    }

    [TestCase("""[2, "id-6", "Authorize", {"idTag": "\udfff"}]""")]
    [TestCase("""[2, "id-6", "Authorize", {"\ud800": "x"}]""")]
    [TestCase("""[2, "id-6", "DataTransfer", {"vendorId": "v", "data": "a\ud83dz"}]""")]
    public void A_CALL_holding_a_lone_surrogate_gets_a_FormationViolation_in_1_6_and_a_FormatViolation_in_2_x(string text)
    {
        var parsed = OcppFrameParser.Parse(text);
        Assert.That((parsed.Error?.MessageId, OcppErrorCode.Spelled(parsed.Error!.ErrorCode, "ocpp1.6"), OcppErrorCode.Spelled(parsed.Error.ErrorCode, "ocpp2.0.1")),
            Is.EqualTo(("id-6", "FormationViolation", "FormatViolation")));
        Assert.DoesNotThrow(() => parsed.Error!.Serialize(), "the answer can be sent");
    }

    [Test]
    public void A_lone_surrogate_in_the_message_id_is_dropped_without_an_answer()
    {
        var parsed = OcppFrameParser.Parse("""[2, "a\udfff", "Heartbeat", {}]""");
        Assert.That((parsed.Frame, parsed.Error, parsed.Dropped), Is.EqualTo(((OcppFrame?)null, (OcppCallError?)null, parsed.Dropped)));
        Assert.That(parsed.Dropped, Does.Contain("Unicode"));
    }

    [Test]
    public void A_surrogate_pair_is_text_and_parses() =>
        Assert.That(OcppFrameParser.Parse("""[2, "id-7", "Authorize", {"idTag": "\ud83d\udd0c"}]""").Frame, Is.TypeOf<OcppCall>());
}
