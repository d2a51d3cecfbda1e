using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.Gateway.Ocpp;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// An OCPP 2.0.1 or 2.1 station on the same endpoint as 1.6 ones: the newest protocol it offers is selected; Occupied
/// makes its EVSE a candidate; the payment starts it with RequestStartTransaction; its TransactionEvents carry the
/// session to a capture at energy x tariff. Every answer is checked against the OCA's schemas of the version.
/// </summary>
[TestFixture("ocpp2.0.1", "Central")]
[TestFixture("ocpp2.1", "DirectPayment")]
public sealed class Ocpp2StationTests(string subprotocol, string idTokenType) : SystemFixture
{
    private OcppSchemas Schemas => subprotocol == "ocpp2.1" ? OcppSchemas.V21 : OcppSchemas.V201;

    // Every answer of the gateway is checked against the OCA's response schema, as a strict station would.
    private async Task<JsonArray> Call(StationSimulator station, string action, JsonObject payload)
    {
        var answer = await station.Call(action, payload);
        Assert.That(answer[0]!.GetValue<int>(), Is.EqualTo(3), $"{action} answered with a CALLRESULT: {answer.ToJsonString()}");
        Assert.That(() => Schemas.CheckResponse(action, answer[2]!.AsObject()), Throws.Nothing, $"{action}'s answer is valid {subprotocol}: {answer.ToJsonString()}");
        return answer;
    }


    [Test]
    public async Task A_station_offering_this_version_and_1_6_is_served_in_this_version()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: $"ocpp1.6,{subprotocol}");
        Assert.That(station.Subprotocol, Is.EqualTo(subprotocol), "the newest of those offered");
        var boot = await Call(station, "BootNotification", new JsonObject
        {
            ["chargingStation"] = new JsonObject { ["model"] = "Test", ["vendorName"] = "ChargeLink" },
            ["reason"] = "PowerUp",
        });
        Assert.That(boot[2]!["status"]!.GetValue<string>(), Is.EqualTo("Accepted"), boot.ToJsonString());
        Assert.That(boot[2]!["interval"], Is.Not.Null);
    }

    [Test]
    public async Task Occupied_then_payment_then_a_transaction_with_the_payments_idToken_ends_in_a_capture()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: subprotocol);
        await Call(station, "BootNotification", new JsonObject { ["chargingStation"] = new JsonObject { ["model"] = "T", ["vendorName"] = "V" }, ["reason"] = "PowerUp" });
        await Call(station, "StatusNotification", new JsonObject { ["timestamp"] = Now(), ["connectorStatus"] = "Occupied", ["evseId"] = 2, ["connectorId"] = 1 });
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(o => o.ConnectorId == 2), TimeSpan.FromSeconds(15), "EVSE 2 is a candidate");

        var paymentId = $"pay_{Deployment.RunId}_v201";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, amountMinor: 5000));
        var start = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That(start[2]!.GetValue<string>(), Is.EqualTo("RequestStartTransaction"), start.ToJsonString());
        var request = start[3]!.AsObject();
        Assert.That(() => Schemas.Check("RequestStartTransaction", request), Throws.Nothing, $"a valid {subprotocol} request: {request.ToJsonString()}");
        Assert.That(request["evseId"]!.GetValue<int>(), Is.EqualTo(2), "the start names the EVSE");
        Assert.That(request["idToken"]!["type"]!.GetValue<string>(), Is.EqualTo(idTokenType));
        Assert.That(request["remoteStartId"]!.GetValue<int>(), Is.Positive);
        var idToken = request["idToken"]!["idToken"]!.GetValue<string>();
        Assert.That(idToken, Is.EqualTo(Deployment.IdTagOf(paymentId)), "the idToken stands for the payment");
        await station.Answer(start, new JsonObject { ["status"] = "Accepted" });

        var started = await Call(station, "TransactionEvent", new JsonObject
        {
            ["eventType"] = "Started",
            ["timestamp"] = Now(),
            ["triggerReason"] = "RemoteStart",
            ["seqNo"] = 0,
            ["transactionInfo"] = new JsonObject { ["transactionId"] = "tx-201-a", ["remoteStartId"] = request["remoteStartId"]!.GetValue<int>() },
            ["idToken"] = new JsonObject { ["idToken"] = idToken, ["type"] = idTokenType },
            ["evse"] = new JsonObject { ["id"] = 2, ["connectorId"] = 1 },
            ["meterValue"] = Meter(1000),
        });
        Assert.That(started[2]!["idTokenInfo"]!["status"]!.GetValue<string>(), Is.EqualTo("Accepted"), started.ToJsonString());
        // 2.1 lets the CSMS say how far the payment goes: 5,000 minor units at 45 per kWh buy 111,111 Wh.
        Assert.That(started[2]!["transactionLimit"]?["maxEnergy"]?.GetValue<long>(), subprotocol == "ocpp2.1" ? Is.EqualTo(111_111L) : Is.Null, started.ToJsonString());
        await Eventually.True(async () => (await GroupEvents()).OfType<ChargingStarted>().Any(c => c.PaymentId == paymentId && c.ConnectorId == 2), TimeSpan.FromSeconds(15), "charging on EVSE 2");

        await Call(station, "TransactionEvent", new JsonObject
        {
            ["eventType"] = "Ended",
            ["timestamp"] = Now(),
            ["triggerReason"] = "EVCommunicationLost",
            ["seqNo"] = 1,
            ["transactionInfo"] = new JsonObject { ["transactionId"] = "tx-201-a", ["stoppedReason"] = "EVDisconnected" },
            ["meterValue"] = Meter(28_420),
        });

        // 27,420 Wh x 45 minor units per kWh = 1,233.9 -> 1,234.
        var capture = await Instruction(paymentId);
        Assert.That((capture.Json["type"]!.GetValue<string>(), capture.Json["amount"]!["value"]!.GetValue<long>(), capture.Json["energyWh"]!.GetValue<long>()),
            Is.EqualTo(("payment.capture", 1234L, 27_420L)), capture.Json.ToJsonString());
    }

    [Test]
    public async Task A_transaction_opened_at_plug_in_makes_the_EVSE_a_candidate_and_one_that_ends_unpaid_frees_it()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: subprotocol);
        await Call(station, "TransactionEvent", new JsonObject
        {
            ["eventType"] = "Started",
            ["timestamp"] = Now(),
            ["triggerReason"] = "CablePluggedIn",
            ["seqNo"] = 0,
            ["transactionInfo"] = new JsonObject { ["transactionId"] = "tx-201-plug", ["chargingState"] = "EVConnected" },
            ["evse"] = new JsonObject { ["id"] = 3, ["connectorId"] = 1 },
        });
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(o => o.ConnectorId == 3), TimeSpan.FromSeconds(15), "EVSE 3 occupied by the plug-in transaction");

        await Call(station, "TransactionEvent", new JsonObject
        {
            ["eventType"] = "Ended",
            ["timestamp"] = Now(),
            ["triggerReason"] = "EVCommunicationLost",
            ["seqNo"] = 1,
            ["transactionInfo"] = new JsonObject { ["transactionId"] = "tx-201-plug", ["stoppedReason"] = "EVDisconnected" },
            ["evse"] = new JsonObject { ["id"] = 3, ["connectorId"] = 1 },
        });
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorVacated>().Any(v => v.ConnectorId == 3), TimeSpan.FromSeconds(15), "EVSE 3 left when the unpaid transaction ended");
    }

    [Test]
    public async Task A_transaction_opened_at_plug_in_becomes_the_session_when_the_payment_s_start_finds_it()
    {
        // TxStartPoint EVConnected: the station opens the transaction at plug-in, answers the start with that
        // transaction's id, and reports the payment's idToken on it in an Updated event.
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: subprotocol);
        JsonObject Event(string type, int seqNo, string trigger, long wh, string? idToken = null)
        {
            var e = new JsonObject
            {
                ["eventType"] = type,
                ["timestamp"] = Now(),
                ["triggerReason"] = trigger,
                ["seqNo"] = seqNo,
                ["transactionInfo"] = new JsonObject { ["transactionId"] = "tx-plug-first" },
                ["evse"] = new JsonObject { ["id"] = 5, ["connectorId"] = 1 },
                ["meterValue"] = Meter(wh),
            };
            if (idToken is not null)
                e["idToken"] = new JsonObject { ["idToken"] = idToken, ["type"] = idTokenType };
            return e;
        }
        await Call(station, "TransactionEvent", Event("Started", 0, "CablePluggedIn", 2000));
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(o => o.ConnectorId == 5), TimeSpan.FromSeconds(15), "EVSE 5 occupied by the plug-in transaction");

        var paymentId = $"pay_{Deployment.RunId}_plug_first";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, amountMinor: 5000));
        var start = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That(start[3]!["evseId"]!.GetValue<int>(), Is.EqualTo(5), start.ToJsonString());
        var idToken = start[3]!["idToken"]!["idToken"]!.GetValue<string>();
        await station.Answer(start, new JsonObject { ["status"] = "Accepted", ["transactionId"] = "tx-plug-first" });

        var authorized = await Call(station, "TransactionEvent", Event("Updated", 1, "RemoteStart", 2000, idToken));
        Assert.That(authorized[2]!["idTokenInfo"]!["status"]!.GetValue<string>(), Is.EqualTo("Accepted"));
        await Eventually.True(async () => (await GroupEvents()).OfType<ChargingStarted>().Any(c => c.PaymentId == paymentId && c.ConnectorId == 5), TimeSpan.FromSeconds(15), "the plug-in transaction is the session");
        await Call(station, "TransactionEvent", Event("Ended", 2, "EVCommunicationLost", 12_000));

        // 10,000 Wh x 45 minor units per kWh = 450.
        var capture = await Instruction(paymentId);
        Assert.That((capture.Json["amount"]!["value"]!.GetValue<long>(), capture.Json["energyWh"]!.GetValue<long>()), Is.EqualTo((450L, 10_000L)), capture.Json.ToJsonString());
    }

    // E01.FR.16: a station names the EVSE only in the first TransactionEvent after the EV connected. The event that
    // carries the payment's token, the readings after it and the end name none; the session is still the EVSE's, its
    // readings reach the group and it ends in a capture (it once ran free: nothing recorded, the payment voided).
    [Test]
    public async Task A_station_that_names_the_EVSE_only_in_the_first_event_is_charged_and_captured()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: subprotocol);
        JsonObject Event(string type, int seqNo, string trigger, long? wh, string? idToken = null)
        {
            var e = new JsonObject
            {
                ["eventType"] = type,
                ["timestamp"] = Now(),
                ["triggerReason"] = trigger,
                ["seqNo"] = seqNo,
                ["transactionInfo"] = new JsonObject { ["transactionId"] = "tx-evse-once" },
            };
            if (seqNo == 0)
                e["evse"] = new JsonObject { ["id"] = 9, ["connectorId"] = 1 };
            if (wh is { } reading)
                e["meterValue"] = Meter(reading);
            if (idToken is not null)
                e["idToken"] = new JsonObject { ["idToken"] = idToken, ["type"] = idTokenType };
            return e;
        }
        await Call(station, "TransactionEvent", Event("Started", 0, "CablePluggedIn", 3000));
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(o => o.ConnectorId == 9), TimeSpan.FromSeconds(15), "EVSE 9 occupied");
        var paymentId = $"pay_{Deployment.RunId}_evse_once";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, amountMinor: 5000));
        var start = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That(start[3]!["evseId"]!.GetValue<int>(), Is.EqualTo(9), start.ToJsonString());
        var idToken = start[3]!["idToken"]!["idToken"]!.GetValue<string>();
        await station.Answer(start, new JsonObject { ["status"] = "Accepted", ["transactionId"] = "tx-evse-once" });

        var authorized = await Call(station, "TransactionEvent", Event("Updated", 1, "RemoteStart", 3000, idToken));
        Assert.That(authorized[2]!["idTokenInfo"]!["status"]!.GetValue<string>(), Is.EqualTo("Accepted"));
        await Eventually.True(async () => (await GroupEvents()).OfType<ChargingStarted>().Any(c => c.PaymentId == paymentId && c.ConnectorId == 9), TimeSpan.FromSeconds(15), "the session is EVSE 9's");
        await Call(station, "TransactionEvent", Event("Updated", 2, "MeterValuePeriodic", 9000));
        await Eventually.True(async () => (await GroupEvents()).OfType<MeterReadingNoted>().Any(m => m.PaymentId == paymentId && m.MeterWh == 9000 && m.ConnectorId == 9), TimeSpan.FromSeconds(15), "the reading reaches the group");
        await Call(station, "TransactionEvent", Event("Ended", 3, "EVCommunicationLost", 10_000));

        // 7,000 Wh x 45 minor units per kWh = 315.
        var capture = await Instruction(paymentId);
        Assert.That((capture.Json["type"]!.GetValue<string>(), capture.Json["amount"]!["value"]!.GetValue<long>(), capture.Json["energyWh"]!.GetValue<long>()), Is.EqualTo(("payment.capture", 315L, 7_000L)), capture.Json.ToJsonString());
    }

    // The standard lets a station put its end reading in the last Updated and send Ended without one. A gateway that did
    // not see that Updated (restarted, or the station came back to another instance) knows no reading: the end is passed
    // on without one and the group ends the session at the last reading it holds (it was taken as 0 and voided).
    [Test]
    public async Task An_end_without_a_reading_at_another_gateway_instance_is_settled_at_the_groups_last_reading()
    {
        var gatewayB = await Deployment.StartGateway();
        var paymentId = $"pay_{Deployment.RunId}_moved_end";
        JsonObject Event(string type, int seqNo, long? wh, string? idToken = null)
        {
            var e = new JsonObject
            {
                ["eventType"] = type,
                ["timestamp"] = Now(),
                ["triggerReason"] = type == "Started" ? "RemoteStart" : type == "Ended" ? "StopAuthorized" : "MeterValuePeriodic",
                ["seqNo"] = seqNo,
                ["transactionInfo"] = new JsonObject { ["transactionId"] = "tx-moved-end" },
            };
            if (seqNo == 0)
                e["evse"] = new JsonObject { ["id"] = 10, ["connectorId"] = 1 };
            if (wh is { } reading)
                e["meterValue"] = Meter(reading);
            if (idToken is not null)
                e["idToken"] = new JsonObject { ["idToken"] = idToken, ["type"] = idTokenType };
            return e;
        }
        await using (var onA = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: subprotocol))
        {
            await Call(onA, "StatusNotification", new JsonObject { ["timestamp"] = Now(), ["connectorStatus"] = "Occupied", ["evseId"] = 10, ["connectorId"] = 1 });
            await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(o => o.ConnectorId == 10), TimeSpan.FromSeconds(15), "EVSE 10 is a candidate");
            await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, amountMinor: 5000));
            var start = await onA.NextCallFromGateway(TimeSpan.FromSeconds(15));
            var idToken = start[3]!["idToken"]!["idToken"]!.GetValue<string>();
            await onA.Answer(start, new JsonObject { ["status"] = "Accepted" });
            await Call(onA, "TransactionEvent", Event("Started", 0, 1000, idToken));
            await Eventually.True(async () => (await GroupEvents()).OfType<ChargingStarted>().Any(c => c.PaymentId == paymentId), TimeSpan.FromSeconds(15), "charging");
            await Call(onA, "TransactionEvent", Event("Updated", 1, 6000));
            await Eventually.True(async () => (await GroupEvents()).OfType<MeterReadingNoted>().Any(m => m.PaymentId == paymentId && m.MeterWh == 6000), TimeSpan.FromSeconds(15), "the reading reaches the group");
        }
        await using var onB = await StationSimulator.Connect(gatewayB, Deployment.ChargePointId, subprotocol: subprotocol);
        await Call(onB, "TransactionEvent", Event("Ended", 2, null));

        // 5,000 Wh x 45 minor units per kWh = 225.
        var capture = await Instruction(paymentId);
        Assert.That((capture.Json["type"]!.GetValue<string>(), capture.Json["amount"]!["value"]!.GetValue<long>(), capture.Json["energyWh"]!.GetValue<long>()), Is.EqualTo(("payment.capture", 225L, 5_000L)), capture.Json.ToJsonString());
    }

    // Fault 3 of the money issue: the start reading was taken as 0 when the event carrying the idToken had none, so a meter
    // that counts for life billed its whole register (the full 5,000 hold "for 12,357,678 Wh").
    [Test]
    public async Task A_plug_in_transaction_on_a_lifelong_meter_is_billed_from_its_own_begin_reading_not_from_zero()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: subprotocol);
        JsonObject Event(string type, int seqNo, string trigger, long? wh, string? idToken = null)
        {
            var e = new JsonObject
            {
                ["eventType"] = type,
                ["timestamp"] = Now(),
                ["triggerReason"] = trigger,
                ["seqNo"] = seqNo,
                ["transactionInfo"] = new JsonObject { ["transactionId"] = "tx-lifelong" },
                ["evse"] = new JsonObject { ["id"] = 7, ["connectorId"] = 1 },
            };
            if (wh is { } reading)
                e["meterValue"] = Meter(reading);
            if (idToken is not null)
                e["idToken"] = new JsonObject { ["idToken"] = idToken, ["type"] = idTokenType };
            return e;
        }
        await Call(station, "TransactionEvent", Event("Started", 0, "CablePluggedIn", 12_345_678));
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(o => o.ConnectorId == 7), TimeSpan.FromSeconds(15), "EVSE 7 occupied");
        var paymentId = $"pay_{Deployment.RunId}_lifelong";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, amountMinor: 5000));
        var start = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        var idToken = start[3]!["idToken"]!["idToken"]!.GetValue<string>();
        await station.Answer(start, new JsonObject { ["status"] = "Accepted", ["transactionId"] = "tx-lifelong" });
        // The event that carries the token has no reading: the session starts at the Begin reading.
        await Call(station, "TransactionEvent", Event("Updated", 1, "RemoteStart", null, idToken));
        await Eventually.True(async () => (await GroupEvents()).OfType<ChargingStarted>().Any(c => c.PaymentId == paymentId), TimeSpan.FromSeconds(15), "charging");
        await Call(station, "TransactionEvent", Event("Ended", 2, "EVCommunicationLost", 12_357_678));

        // 12,000 Wh x 45 minor units per kWh = 540.
        var capture = await Instruction(paymentId);
        Assert.That((capture.Json["amount"]!["value"]!.GetValue<long>(), capture.Json["energyWh"]!.GetValue<long>()), Is.EqualTo((540L, 12_000L)), capture.Json.ToJsonString());
    }

    [Test]
    public async Task An_end_without_a_reading_is_settled_from_the_last_Updated_one()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: subprotocol);
        await Call(station, "StatusNotification", new JsonObject { ["timestamp"] = Now(), ["connectorStatus"] = "Occupied", ["evseId"] = 4, ["connectorId"] = 1 });
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(o => o.ConnectorId == 4), TimeSpan.FromSeconds(15), "EVSE 4 is a candidate");
        var paymentId = $"pay_{Deployment.RunId}_v201_updated";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, amountMinor: 5000));
        var start = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That(start[3]!["evseId"]!.GetValue<int>(), Is.EqualTo(4), start.ToJsonString());
        var idToken = start[3]!["idToken"]!["idToken"]!.GetValue<string>();
        await station.Answer(start, new JsonObject { ["status"] = "Accepted" });

        JsonObject Event(string type, int seqNo, long? wh) => new()
        {
            ["eventType"] = type,
            ["timestamp"] = Now(),
            ["triggerReason"] = type == "Ended" ? "StopAuthorized" : "MeterValuePeriodic",
            ["seqNo"] = seqNo,
            ["transactionInfo"] = new JsonObject { ["transactionId"] = "tx-201-upd" },
            ["idToken"] = new JsonObject { ["idToken"] = idToken, ["type"] = idTokenType },
            ["evse"] = new JsonObject { ["id"] = 4, ["connectorId"] = 1 },
            ["meterValue"] = wh is { } value ? Meter(value) : null,
        };
        await Call(station, "TransactionEvent", Event("Started", 0, 1000));
        await Call(station, "TransactionEvent", Event("Updated", 1, 5000));
        var ended = Event("Ended", 2, null);
        ended.Remove("meterValue");
        await Call(station, "TransactionEvent", ended);

        // 4,000 Wh x 45 minor units per kWh = 180.
        var capture = await Instruction(paymentId);
        Assert.That((capture.Json["amount"]!["value"]!.GetValue<long>(), capture.Json["energyWh"]!.GetValue<long>()), Is.EqualTo((180L, 4000L)), capture.Json.ToJsonString());
    }

    // The 1.6 money test's hostile readings (MoneyInvariantTests), in a 2.x station's TransactionEvents: readings past
    // any register or below zero never reach the group, and an end reading below the start one is no energy to bill.
    [Test]
    public async Task Hostile_readings_in_TransactionEvents_end_in_a_void_never_in_a_capture()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: subprotocol);
        await Call(station, "StatusNotification", new JsonObject { ["timestamp"] = Now(), ["connectorStatus"] = "Occupied", ["evseId"] = 8, ["connectorId"] = 1 });
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(o => o.ConnectorId == 8), TimeSpan.FromSeconds(15), "EVSE 8 is a candidate");
        var paymentId = $"pay_{Deployment.RunId}_hostile_2x";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId, amountMinor: 5000));
        var start = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That(start[3]!["evseId"]!.GetValue<int>(), Is.EqualTo(8), start.ToJsonString());
        var idToken = start[3]!["idToken"]!["idToken"]!.GetValue<string>();
        await station.Answer(start, new JsonObject { ["status"] = "Accepted" });

        JsonObject Event(string type, int seqNo, JsonArray meter) => new()
        {
            ["eventType"] = type,
            ["timestamp"] = Now(),
            ["triggerReason"] = type == "Ended" ? "StopAuthorized" : type == "Started" ? "RemoteStart" : "MeterValuePeriodic",
            ["seqNo"] = seqNo,
            ["transactionInfo"] = new JsonObject { ["transactionId"] = "tx-hostile" },
            ["idToken"] = new JsonObject { ["idToken"] = idToken, ["type"] = idTokenType },
            ["evse"] = new JsonObject { ["id"] = 8, ["connectorId"] = 1 },
            ["meterValue"] = meter,
        };
        // 1 x 10^9 kWh is 10^12 Wh written with a multiplier: past any register as surely as 2^63-1 Wh written out.
        JsonArray Scaled(long value, int multiplier) =>
        [
            new JsonObject
            {
                ["timestamp"] = Now(),
                ["sampledValue"] = new JsonArray(new JsonObject
                {
                    ["value"] = value,
                    ["measurand"] = "Energy.Active.Import.Register",
                    ["unitOfMeasure"] = new JsonObject { ["unit"] = "kWh", ["multiplier"] = multiplier },
                }),
            },
        ];
        await Call(station, "TransactionEvent", Event("Started", 0, Meter(1000)));
        await Eventually.True(async () => (await GroupEvents()).OfType<ChargingStarted>().Any(c => c.PaymentId == paymentId), TimeSpan.FromSeconds(15), "charging");
        await Call(station, "TransactionEvent", Event("Updated", 1, Meter(long.MaxValue)));
        await Call(station, "TransactionEvent", Event("Updated", 2, Scaled(1, 9)));
        await Call(station, "TransactionEvent", Event("Updated", 3, Meter(-5000)));
        await Call(station, "TransactionEvent", Event("Updated", 4, Meter(1200)));
        await Eventually.True(async () => (await GroupEvents()).OfType<MeterReadingNoted>().Any(m => m.PaymentId == paymentId), TimeSpan.FromSeconds(15), "the plausible reading is kept");
        // The end reads less than the start: the meter ran backwards, so nothing the station says can be billed.
        await Call(station, "TransactionEvent", Event("Ended", 5, Meter(800)));

        var instruction = await Instruction(paymentId);
        Assert.Multiple(async () =>
        {
            Assert.That(instruction.Json["type"]!.GetValue<string>(), Is.EqualTo("payment.void"), instruction.Json.ToJsonString());
            Assert.That(instruction.Json["reason"]?.GetValue<string>(), Is.EqualTo(VoidReason.MeterImplausible));
            Assert.That((await GroupEvents()).OfType<MeterReadingNoted>().Where(m => m.PaymentId == paymentId).Select(m => m.MeterWh), Is.EqualTo(new[] { 1200L }), "no reading past a register or below zero reached the group");
        });
        await AssertNoSecondInstruction(0, paymentId);
    }

    [Test]
    public async Task A_connectors_AvailabilityState_in_NotifyEvent_occupies_and_frees_it()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: subprotocol);
        JsonObject Availability(int eventId, string state) => new()
        {
            ["generatedAt"] = Now(),
            ["seqNo"] = eventId,
            ["eventData"] = new JsonArray(new JsonObject
            {
                ["eventId"] = eventId,
                ["timestamp"] = Now(),
                ["trigger"] = "Delta",
                ["actualValue"] = state,
                ["eventNotificationType"] = "HardWiredNotification",
                ["component"] = new JsonObject { ["name"] = "Connector", ["evse"] = new JsonObject { ["id"] = 6, ["connectorId"] = 1 } },
                ["variable"] = new JsonObject { ["name"] = "AvailabilityState" },
            }),
        };
        await Call(station, "NotifyEvent", Availability(1, "Occupied"));
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorOccupied>().Any(o => o.ConnectorId == 6), TimeSpan.FromSeconds(15), "EVSE 6 occupied");
        await Call(station, "NotifyEvent", Availability(2, "Available"));
        await Eventually.True(async () => (await GroupEvents()).OfType<ConnectorVacated>().Any(v => v.ConnectorId == 6), TimeSpan.FromSeconds(15), "EVSE 6 free again");
    }

    [Test]
    public async Task A_SEND_is_handled_without_an_answer_in_2_1_and_refused_as_an_unknown_frame_before()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: subprotocol);
        var send = new JsonArray(6, "send-1", "NotifyPeriodicEventStream", new JsonObject { ["id"] = 1, ["pending"] = 0, ["basetime"] = Now(), ["data"] = new JsonArray() }).ToJsonString();
        if (subprotocol == "ocpp2.1")
        {
            // The connection handles frames in order: had the SEND been answered, that answer would come before the heartbeat's.
            await station.SendRaw(send, "none", TimeSpan.Zero).ContinueWith(_ => { }, TaskScheduler.Default);
            await Call(station, "Heartbeat", []);
            Assert.That(station.UnmatchedAnswers, Is.Zero, "no answer to a SEND");
            var refused = new JsonArray(5, "result-1", "FormatViolation", "could not take it", new JsonObject()).ToJsonString();
            await station.SendRaw(refused, "none", TimeSpan.Zero).ContinueWith(_ => { }, TaskScheduler.Default);
            await Call(station, "Heartbeat", []);
            // A SEND of an action 2.1 sends as a CALL is no message of the standard: dropped, nothing it says is taken.
            var since = DateTimeOffset.UtcNow;
            var occupied = new JsonArray(6, "send-2", "StatusNotification", new JsonObject { ["timestamp"] = Now(), ["connectorStatus"] = "Occupied", ["evseId"] = 1, ["connectorId"] = 1 }).ToJsonString();
            await station.SendRaw(occupied, "none", TimeSpan.Zero).ContinueWith(_ => { }, TaskScheduler.Default);
            await Call(station, "Heartbeat", []);
            Assert.That(Deployment.Logs.Events.Where(e => e.Timestamp >= since).Select(e => e.RenderMessage()),
                Has.Some.Matches<string>(m => m.Contains("SEND \"StatusNotification\" \"send-2\"", StringComparison.Ordinal) && m.Contains("dropped", StringComparison.Ordinal)),
                "the SEND was dropped, not handled");
            Assert.That(station.UnmatchedAnswers, Is.Zero, "no answer to a CALLRESULTERROR");
        }
        else
        {
            var answer = await station.SendRaw(send, "send-1", TimeSpan.FromSeconds(10));
            // OCPP-J 2.0.1, part 4, 4.3: "a message with a Message Type Id ... that is not supported by this implementation".
            Assert.That((answer[0]!.GetValue<int>(), answer[2]!.GetValue<string>()), Is.EqualTo((4, "MessageTypeNotSupported")), answer.ToJsonString());
        }
    }

    private static JsonArray Meter(long wh) =>
    [
        new JsonObject
        {
            ["timestamp"] = Now(),
            ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = wh, ["measurand"] = "Energy.Active.Import.Register" }),
        },
    ];

    [Test]
    public async Task A_frame_that_breaks_the_OCA_schema_gets_the_2_0_1_CALLERROR_code()
    {
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId, subprotocol: subprotocol);
        var missing = await station.Call("BootNotification", new JsonObject { ["chargingStation"] = new JsonObject { ["model"] = "T", ["vendorName"] = "V" } });
        var undefined = await station.Call("Heartbeat", new JsonObject { ["unexpected"] = 1 });
        var wrongType = await station.Call("StatusNotification", new JsonObject { ["timestamp"] = Now(), ["connectorStatus"] = "Occupied", ["evseId"] = "1", ["connectorId"] = 1 });
        var noRpc = await station.SendRaw("""[2, "no-rpc", "Heartbeat", []]""", "no-rpc", TimeSpan.FromSeconds(10));
        var notText = await station.SendRaw("""[2, "not-text", "DataTransfer", {"vendorId": "a\udfff"}]""", "not-text", TimeSpan.FromSeconds(10));
        var wrongValue = await station.Call("StatusNotification", new JsonObject { ["timestamp"] = Now(), ["connectorStatus"] = "Plugged", ["evseId"] = 1, ["connectorId"] = 1 });
        var unknown = await station.Call("Teleport", new JsonObject());
        Assert.Multiple(() =>
        {
            Assert.That((missing[0]!.GetValue<int>(), missing[2]!.GetValue<string>()), Is.EqualTo((4, "OccurrenceConstraintViolation")), missing.ToJsonString());
            // As ocpp-rpc's strict validator and 1.6 read a property the schema does not define (additionalProperties: false).
            Assert.That((undefined[0]!.GetValue<int>(), undefined[2]!.GetValue<string>()), Is.EqualTo((4, "PropertyConstraintViolation")), undefined.ToJsonString());
            Assert.That((wrongType[0]!.GetValue<int>(), wrongType[2]!.GetValue<string>()), Is.EqualTo((4, "TypeConstraintViolation")), wrongType.ToJsonString());
            // Frame-level, in 2.x's words: no RPC (a payload that is no object), a payload that is no text.
            Assert.That((noRpc[0]!.GetValue<int>(), noRpc[2]!.GetValue<string>()), Is.EqualTo((4, "RpcFrameworkError")), noRpc.ToJsonString());
            Assert.That((notText[0]!.GetValue<int>(), notText[2]!.GetValue<string>()), Is.EqualTo((4, "FormatViolation")), notText.ToJsonString());
            Assert.That((wrongValue[0]!.GetValue<int>(), wrongValue[2]!.GetValue<string>()), Is.EqualTo((4, "PropertyConstraintViolation")), wrongValue.ToJsonString());
            Assert.That((unknown[0]!.GetValue<int>(), unknown[2]!.GetValue<string>()), Is.EqualTo((4, "NotImplemented")), unknown.ToJsonString());
        });
    }
}
