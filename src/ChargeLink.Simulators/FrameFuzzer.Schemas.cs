namespace ChargeLink.Simulators;

/// <summary>The payloads of the actions a station sends, per version, as the fuzzer writes valid ones.</summary>
public sealed partial class FrameFuzzer
{
    private enum Kind
    {
        Int,
        Text,
        Enum,
        Date,
        Number,
        Object,
        Objects,

        // Any JSON value at all (2.x's DataTransfer data).
        Any,
    }

    /// <param name="Of">For <see cref="Kind.Object"/>, its fields; for <see cref="Kind.Objects"/>, each
    /// element's.</param>
    private sealed record Field(
        string Name,
        Kind Kind,
        bool Required,
        int Max = 0,
        int Min = int.MinValue,
        string[]? Values = null,
        bool NonEmpty = false,
        Field[]? Of = null
    );

    private static readonly string[] ConnectorStatuses =
    [
        "Available",
        "Preparing",
        "Charging",
        "SuspendedEVSE",
        "SuspendedEV",
        "Finishing",
        "Reserved",
        "Unavailable",
        "Faulted",
    ];

    private static readonly string[] ErrorCodes =
    [
        "ConnectorLockFailure",
        "EVCommunicationError",
        "GroundFailure",
        "HighTemperature",
        "InternalError",
        "LocalListConflict",
        "NoError",
        "OtherError",
        "OverCurrentFailure",
        "PowerMeterFailure",
        "PowerSwitchFailure",
        "ReaderFailure",
        "ResetFailure",
        "UnderVoltage",
        "OverVoltage",
        "WeakSignal",
    ];

    private static readonly string[] StopReasons =
    [
        "EmergencyStop",
        "EVDisconnected",
        "HardReset",
        "Local",
        "Other",
        "PowerLoss",
        "Reboot",
        "Remote",
        "SoftReset",
        "UnlockCommand",
        "DeAuthorized",
    ];

    private static readonly Field[] SampledValueSchema =
    [
        new("value", Kind.Text, true, Max: int.MaxValue),
        new(
            "context",
            Kind.Enum,
            false,
            Values:
            [
                "Interruption.Begin",
                "Interruption.End",
                "Sample.Clock",
                "Sample.Periodic",
                "Transaction.Begin",
                "Transaction.End",
                "Trigger",
                "Other",
            ]
        ),
        new("format", Kind.Enum, false, Values: ["Raw", "SignedData"]),
        new(
            "measurand",
            Kind.Enum,
            false,
            Values:
            [
                "Energy.Active.Import.Register",
                "Energy.Active.Export.Register",
                "Power.Active.Import",
                "Current.Import",
                "Voltage",
                "SoC",
                "Temperature",
            ]
        ),
        new(
            "phase",
            Kind.Enum,
            false,
            Values: ["L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"]
        ),
        new("location", Kind.Enum, false, Values: ["Cable", "EV", "Inlet", "Outlet", "Body"]),
        new(
            "unit",
            Kind.Enum,
            false,
            Values:
            [
                "Wh",
                "kWh",
                "varh",
                "kvarh",
                "W",
                "kW",
                "VA",
                "kVA",
                "var",
                "kvar",
                "A",
                "V",
                "K",
                "Celsius",
                "Fahrenheit",
                "Percent",
            ]
        ),
    ];

    private static readonly Field[] MeterValueSchema =
    [
        new("timestamp", Kind.Date, true),
        new("sampledValue", Kind.Objects, true, NonEmpty: true, Of: SampledValueSchema),
    ];

    private static readonly Dictionary<string, Field[]> Schemas16 = new(StringComparer.Ordinal)
    {
        ["BootNotification"] =
        [
            new("chargePointVendor", Kind.Text, true, Max: 20),
            new("chargePointModel", Kind.Text, true, Max: 20),
            new("chargePointSerialNumber", Kind.Text, false, Max: 25),
            new("chargeBoxSerialNumber", Kind.Text, false, Max: 25),
            new("firmwareVersion", Kind.Text, false, Max: 50),
            new("iccid", Kind.Text, false, Max: 20),
            new("imsi", Kind.Text, false, Max: 20),
            new("meterType", Kind.Text, false, Max: 25),
            new("meterSerialNumber", Kind.Text, false, Max: 25),
        ],
        ["Heartbeat"] = [],
        ["StatusNotification"] =
        [
            new("connectorId", Kind.Int, true, Min: 0),
            new("errorCode", Kind.Enum, true, Values: ErrorCodes),
            new("status", Kind.Enum, true, Values: ConnectorStatuses),
            new("timestamp", Kind.Date, false),
            new("info", Kind.Text, false, Max: 50),
            new("vendorId", Kind.Text, false, Max: 255),
            new("vendorErrorCode", Kind.Text, false, Max: 50),
        ],
        ["Authorize"] = [new("idTag", Kind.Text, true, Max: 20)],
        ["StartTransaction"] =
        [
            new("connectorId", Kind.Int, true, Min: 1),
            new("idTag", Kind.Text, true, Max: 20),
            new("meterStart", Kind.Int, true, Min: 0),
            new("timestamp", Kind.Date, true),
            new("reservationId", Kind.Int, false),
        ],
        ["StopTransaction"] =
        [
            new("transactionId", Kind.Int, true),
            new("meterStop", Kind.Int, true, Min: 0),
            new("timestamp", Kind.Date, true),
            new("idTag", Kind.Text, false, Max: 20),
            new("reason", Kind.Enum, false, Values: StopReasons),
            new("transactionData", Kind.Objects, false, Of: MeterValueSchema),
        ],
        ["MeterValues"] =
        [
            new("connectorId", Kind.Int, true, Min: 0),
            new("transactionId", Kind.Int, false),
            new("meterValue", Kind.Objects, true, NonEmpty: true, Of: MeterValueSchema),
        ],
        ["DataTransfer"] =
        [
            new("vendorId", Kind.Text, true, Max: 255),
            new("messageId", Kind.Text, false, Max: 50),
            new("data", Kind.Text, false, Max: int.MaxValue),
        ],
        ["DiagnosticsStatusNotification"] =
        [
            new("status", Kind.Enum, true, Values: ["Idle", "Uploaded", "UploadFailed", "Uploading"]),
        ],
        ["FirmwareStatusNotification"] =
        [
            new(
                "status",
                Kind.Enum,
                true,
                Values:
                [
                    "Downloaded",
                    "DownloadFailed",
                    "Downloading",
                    "Idle",
                    "InstallationFailed",
                    "Installing",
                    "Installed",
                ]
            ),
        ],
    };
}
