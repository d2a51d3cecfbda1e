namespace ChargeLink.Simulators;

/// <summary>
/// The OCPP 2.0.1 and 2.1 payloads a station sends, as the OCA's schemas define them (the parts a fuzz needs; every
/// object is closed, additionalProperties: false). Minimums are the standard's; 2.0.1's schemas state few of them,
/// 2.1's more: where they differ, each version gets its own.
/// </summary>
public sealed partial class FrameFuzzer
{
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
}
