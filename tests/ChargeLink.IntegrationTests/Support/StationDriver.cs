using System.Globalization;
using System.Text.Json.Nodes;
using ChargeLink.Simulators;
using NUnit.Framework;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>
/// One station, driven in the words of a charging session whatever its OCPP version: a protocol-twin test is written
/// once against this and run per version (<see cref="Versions"/>). Each version's wire format lives in its subclass;
/// the test keeps the assertions.
/// </summary>
public abstract class StationDriver(StationSimulator station) : IAsyncDisposable
{
    /// <summary>Every version a twin test runs under, as the station offers it.</summary>
    public static readonly string[] Versions = ["ocpp1.6", "ocpp2.0.1", "ocpp2.1"];

    public StationSimulator Station => station;

    /// <summary>The action the gateway sends to start charging, and the one to stop a transaction.</summary>
    public abstract string StartAction { get; }

    public abstract string StopAction { get; }

    /// <summary>The transaction as the station names it, once started.</summary>
    public string? TransactionId { get; protected set; }

    public static async Task<StationDriver> Connect(Uri gateway, string chargePointId, string version) =>
        version == "ocpp1.6"
            ? new V16Driver(await StationSimulator.Connect(gateway, chargePointId))
            : new V2Driver(await StationSimulator.Connect(gateway, chargePointId, subprotocol: version));

    /// <summary>A car is plugged in at <paramref name="connector"/> (an EVSE in 2.x).</summary>
    public abstract Task Occupy(int connector);

    /// <summary>Waits for the gateway's start CALL, checks its action, answers Accepted and keeps the payment's token
    /// for the transaction.</summary>
    public async Task<JsonArray> AcceptStart(TimeSpan within)
    {
        var start = await station.NextCallFromGateway(within);
        Assert.That(start[2]!.GetValue<string>(), Is.EqualTo(StartAction), start.ToJsonString());
        Started(start[3]!.AsObject());
        await station.Answer(start, new JsonObject { ["status"] = "Accepted" });
        return start;
    }

    protected abstract void Started(JsonObject startPayload);

    /// <summary>The station begins the transaction with the payment's token at <paramref name="meterWh"/>.</summary>
    public abstract Task Begin(int connector, long meterWh);

    /// <summary>A meter reading of the running transaction, as the station's register shows it.</summary>
    public abstract Task Meter(int connector, long meterWh);

    /// <summary>The station ends the transaction at <paramref name="meterWh"/> (StopTransaction, TransactionEvent
    /// Ended).</summary>
    public abstract Task End(int connector, long meterWh);

    /// <summary>The transaction named in a stop CALL, as the station's version writes it.</summary>
    public abstract string StoppedTransaction(JsonArray stopCall);

    public ValueTask DisposeAsync() => station.DisposeAsync();

    protected static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private sealed class V16Driver(StationSimulator station) : StationDriver(station)
    {
        private JsonNode? _idTag;

        public override string StartAction => "RemoteStartTransaction";

        public override string StopAction => "RemoteStopTransaction";

        public override Task Occupy(int connector) =>
            Station.Call("StatusNotification", new JsonObject { ["connectorId"] = connector, ["errorCode"] = "NoError", ["status"] = "Preparing" });

        protected override void Started(JsonObject startPayload) => _idTag = startPayload["idTag"]!.DeepClone();

        public override async Task Begin(int connector, long meterWh)
        {
            var started = await Station.Call("StartTransaction", new JsonObject
            {
                ["connectorId"] = connector,
                ["idTag"] = _idTag!.DeepClone(),
                ["meterStart"] = meterWh,
                ["timestamp"] = Now(),
            });
            TransactionId = started[2]!["transactionId"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture);
        }

        // In kWh, as some 1.6 stations report their register.
        public override Task Meter(int connector, long meterWh) =>
            Station.Call("MeterValues", new JsonObject
            {
                ["connectorId"] = connector,
                ["transactionId"] = int.Parse(TransactionId!, CultureInfo.InvariantCulture),
                ["meterValue"] = new JsonArray(new JsonObject
                {
                    ["timestamp"] = Now(),
                    ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = (meterWh / 1000m).ToString(CultureInfo.InvariantCulture), ["unit"] = "kWh" }),
                }),
            });

        public override Task End(int connector, long meterWh) =>
            Station.Call("StopTransaction", new JsonObject
            {
                ["transactionId"] = int.Parse(TransactionId!, CultureInfo.InvariantCulture),
                ["meterStop"] = meterWh,
                ["timestamp"] = Now(),
            });

        public override string StoppedTransaction(JsonArray stopCall) =>
            stopCall[3]!["transactionId"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture);
    }

    private sealed class V2Driver(StationSimulator station) : StationDriver(station)
    {
        private JsonNode? _idToken;
        private int _seqNo;

        public override string StartAction => "RequestStartTransaction";

        public override string StopAction => "RequestStopTransaction";

        public override Task Occupy(int connector) =>
            Station.Call("StatusNotification", new JsonObject
            {
                ["timestamp"] = Now(),
                ["connectorStatus"] = "Occupied",
                ["evseId"] = connector,
                ["connectorId"] = 1,
            });

        protected override void Started(JsonObject startPayload) => _idToken = startPayload["idToken"]!.DeepClone();

        public override Task Begin(int connector, long meterWh)
        {
            TransactionId = $"tx-{Guid.NewGuid():N}"[..20];
            return Event("Started", "RemoteStart", connector, meterWh);
        }

        public override Task Meter(int connector, long meterWh) => Event("Updated", "MeterValuePeriodic", connector, meterWh);

        public override Task End(int connector, long meterWh) => Event("Ended", "RemoteStop", connector, meterWh);

        private Task Event(string type, string trigger, int connector, long meterWh) =>
            Station.Call("TransactionEvent", new JsonObject
            {
                ["eventType"] = type,
                ["timestamp"] = Now(),
                ["triggerReason"] = trigger,
                ["seqNo"] = _seqNo++,
                ["transactionInfo"] = new JsonObject { ["transactionId"] = TransactionId },
                ["idToken"] = _idToken!.DeepClone(),
                ["evse"] = new JsonObject { ["id"] = connector, ["connectorId"] = 1 },
                ["meterValue"] = new JsonArray(new JsonObject
                {
                    ["timestamp"] = Now(),
                    ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = meterWh }),
                }),
            });

        public override string StoppedTransaction(JsonArray stopCall) => stopCall[3]!["transactionId"]!.GetValue<string>();
    }
}
