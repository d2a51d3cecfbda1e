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

    // ---------------------------------------------------------------------------------------------------------------
    // The OCPP 2.0.1 and 2.1 payloads a station sends, as the OCA's schemas define them (the parts a fuzz needs; every
    // object is closed, additionalProperties: false). Minimums are the standard's; 2.0.1's schemas state few of them,
    // 2.1's more: where they differ, each version gets its own.

    private static readonly Field[] SampledValue2 =
    [
        new("value", Kind.Number, true),
        new(
            "context",
            Kind.Enum,
            false,
            Values:
            [
                "Interruption.Begin",
                "Interruption.End",
                "Other",
                "Sample.Clock",
                "Sample.Periodic",
                "Transaction.Begin",
                "Transaction.End",
                "Trigger",
            ]
        ),
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
            ]
        ),
        new(
            "phase",
            Kind.Enum,
            false,
            Values: ["L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"]
        ),
        new("location", Kind.Enum, false, Values: ["Body", "Cable", "EV", "Inlet", "Outlet"]),
        new(
            "unitOfMeasure",
            Kind.Object,
            false,
            Of: [new("unit", Kind.Text, false, Max: 20), new("multiplier", Kind.Int, false)]
        ),
    ];

    private static readonly Field[] MeterValue2 =
    [
        new("timestamp", Kind.Date, true),
        new("sampledValue", Kind.Objects, true, NonEmpty: true, Of: SampledValue2),
    ];

    private static readonly string[] IdTokenTypes201 =
    [
        "Central",
        "eMAID",
        "ISO14443",
        "ISO15693",
        "KeyCode",
        "Local",
        "MacAddress",
        "NoAuthorization",
    ];

    private static readonly Dictionary<string, Field[]> Schemas201 = Schemas2(v21: false);
    private static readonly Dictionary<string, Field[]> Schemas21 = Schemas2(v21: true);

    private static Dictionary<string, Field[]> Schemas2(bool v21)
    {
        // 2.1's idToken type is free text of 20 characters; its token 255 characters.
        Field[] idToken = v21
            ? [new("idToken", Kind.Text, true, Max: 255), new("type", Kind.Text, true, Max: 20)]
            : [new("idToken", Kind.Text, true, Max: 36), new("type", Kind.Enum, true, Values: IdTokenTypes201)];
        var zeroOrMore = v21 ? 0 : int.MinValue;
        Field[] evse =
        [
            new("id", Kind.Int, true, Min: zeroOrMore),
            new("connectorId", Kind.Int, false, Min: zeroOrMore),
        ];
        return new(StringComparer.Ordinal)
        {
            ["BootNotification"] =
            [
                new(
                    "chargingStation",
                    Kind.Object,
                    true,
                    Of:
                    [
                        new("model", Kind.Text, true, Max: 20),
                        new("vendorName", Kind.Text, true, Max: 50),
                        new("serialNumber", Kind.Text, false, Max: 25),
                        new("firmwareVersion", Kind.Text, false, Max: 50),
                        new(
                            "modem",
                            Kind.Object,
                            false,
                            Of: [new("iccid", Kind.Text, false, Max: 20), new("imsi", Kind.Text, false, Max: 20)]
                        ),
                    ]
                ),
                new(
                    "reason",
                    Kind.Enum,
                    true,
                    Values:
                    [
                        "ApplicationReset",
                        "FirmwareUpdate",
                        "LocalReset",
                        "PowerUp",
                        "RemoteReset",
                        "ScheduledReset",
                        "Triggered",
                        "Unknown",
                        "Watchdog",
                    ]
                ),
            ],
            ["Heartbeat"] = [],
            ["StatusNotification"] =
            [
                new("timestamp", Kind.Date, true),
                new(
                    "connectorStatus",
                    Kind.Enum,
                    true,
                    Values: ["Available", "Occupied", "Reserved", "Unavailable", "Faulted"]
                ),
                new("evseId", Kind.Int, true, Min: 0),
                new("connectorId", Kind.Int, true, Min: 0),
            ],
            ["Authorize"] = [new("idToken", Kind.Object, true, Of: idToken)],
            ["TransactionEvent"] =
            [
                new("eventType", Kind.Enum, true, Values: ["Ended", "Started", "Updated"]),
                new("timestamp", Kind.Date, true),
                new(
                    "triggerReason",
                    Kind.Enum,
                    true,
                    Values:
                    [
                        "Authorized",
                        "CablePluggedIn",
                        "ChargingStateChanged",
                        "EVDetected",
                        "EVDeparted",
                        "MeterValuePeriodic",
                        "RemoteStart",
                        "RemoteStop",
                        "StopAuthorized",
                    ]
                ),
                new("seqNo", Kind.Int, true, Min: 0),
                new(
                    "transactionInfo",
                    Kind.Object,
                    true,
                    Of:
                    [
                        new("transactionId", Kind.Text, true, Max: 36),
                        new(
                            "chargingState",
                            Kind.Enum,
                            false,
                            Values: ["Charging", "EVConnected", "SuspendedEV", "SuspendedEVSE", "Idle"]
                        ),
                        new("timeSpentCharging", Kind.Int, false),
                        new(
                            "stoppedReason",
                            Kind.Enum,
                            false,
                            Values:
                            [
                                "DeAuthorized",
                                "EVDisconnected",
                                "Local",
                                "Other",
                                "PowerLoss",
                                "Remote",
                                "StoppedByEV",
                            ]
                        ),
                        new("remoteStartId", Kind.Int, false),
                    ]
                ),
                new("evse", Kind.Object, false, Of: evse),
                new("idToken", Kind.Object, false, Of: idToken),
                new("meterValue", Kind.Objects, false, NonEmpty: true, Of: MeterValue2),
                new("reservationId", Kind.Int, false, Min: zeroOrMore),
            ],
            ["MeterValues"] =
            [
                new("evseId", Kind.Int, true, Min: zeroOrMore),
                new("meterValue", Kind.Objects, true, NonEmpty: true, Of: MeterValue2),
            ],
            ["NotifyEvent"] =
            [
                new("generatedAt", Kind.Date, true),
                new("seqNo", Kind.Int, true, Min: zeroOrMore),
                new(
                    "eventData",
                    Kind.Objects,
                    true,
                    NonEmpty: true,
                    Of:
                    [
                        new("eventId", Kind.Int, true, Min: zeroOrMore),
                        new("timestamp", Kind.Date, true),
                        new("trigger", Kind.Enum, true, Values: ["Alerting", "Delta", "Periodic"]),
                        new("actualValue", Kind.Text, true, Max: 2500),
                        new(
                            "eventNotificationType",
                            Kind.Enum,
                            true,
                            Values:
                            [
                                "HardWiredNotification",
                                "HardWiredMonitor",
                                "PreconfiguredMonitor",
                                "CustomMonitor",
                            ]
                        ),
                        new(
                            "component",
                            Kind.Object,
                            true,
                            Of:
                            [
                                new("name", Kind.Text, true, Max: 50),
                                new("instance", Kind.Text, false, Max: 50),
                                new("evse", Kind.Object, false, Of: evse),
                            ]
                        ),
                        new(
                            "variable",
                            Kind.Object,
                            true,
                            Of: [new("name", Kind.Text, true, Max: 50), new("instance", Kind.Text, false, Max: 50)]
                        ),
                    ]
                ),
            ],
            ["NotifyReport"] =
            [
                new("requestId", Kind.Int, true),
                new("generatedAt", Kind.Date, true),
                new("seqNo", Kind.Int, true, Min: zeroOrMore),
            ],
            ["SecurityEventNotification"] =
            [
                new("type", Kind.Text, true, Max: 50),
                new("timestamp", Kind.Date, true),
                new("techInfo", Kind.Text, false, Max: 255),
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
                        "DownloadScheduled",
                        "DownloadPaused",
                        "Idle",
                        "InstallationFailed",
                        "Installing",
                        "Installed",
                        "InstallRebooting",
                        "InstallScheduled",
                        "InstallVerificationFailed",
                        "InvalidSignature",
                        "SignatureVerified",
                    ]
                ),
                new("requestId", Kind.Int, false),
            ],
            ["LogStatusNotification"] =
            [
                new(
                    "status",
                    Kind.Enum,
                    true,
                    Values:
                    [
                        "BadMessage",
                        "Idle",
                        "NotSupportedOperation",
                        "PermissionDenied",
                        "Uploaded",
                        "UploadFailure",
                        "Uploading",
                        "AcceptedCanceled",
                    ]
                ),
                new("requestId", Kind.Int, false),
            ],
            ["DataTransfer"] =
            [
                new("vendorId", Kind.Text, true, Max: 255),
                new("messageId", Kind.Text, false, Max: 50),
                new("data", Kind.Any, false),
            ],
        };
    }

    private JsonObject Valid(Field[] schema)
    {
        var payload = new JsonObject();
        foreach (var field in schema)
        {
            if (field.Required || _random.Next(3) == 0)
                payload[field.Name] = ValidValue(field);
        }
        return payload;
    }

    private JsonNode ValidValue(Field field) =>
        field.Kind switch
        {
            Kind.Int when field.Name is "connectorId" or "evseId" or "id" => _random.Next(Math.Max(field.Min, 0), 13),
            Kind.Int => _random.Next(Math.Max(field.Min, 0), 1_000_000),
            Kind.Text when field.Name == "value" => _random.Next(1_000_000).ToString(CultureInfo.InvariantCulture),
            Kind.Text => SomeText(1 + _random.Next(Math.Min(field.Max, 24))),
            Kind.Any => SomeText(1 + _random.Next(24)),
            Kind.Enum => field.Values![_random.Next(field.Values.Length)],
            Kind.Date => SomeDate(),
            Kind.Number => _random.Next(3) == 0
                ? Math.Round(_random.NextDouble() * 100_000, 3)
                : _random.Next(1_000_000),
            Kind.Object => Valid(field.Of!),
            _ => new JsonArray([.. Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => (JsonNode)Valid(field.Of!))]),
        };
}
