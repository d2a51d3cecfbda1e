namespace ChargeLink.Simulators;

// The fields of each action an OCPP 2.0.1 or 2.1 station sends, per version (a hand-kept reading of the OCA's
// schemas: the parts a fuzz needs).
public sealed partial class FrameFuzzer
{
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
}
