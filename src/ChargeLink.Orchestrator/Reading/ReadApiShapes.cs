using ChargeLink.Domain.Audit;

namespace ChargeLink.Orchestrator.Reading;

// What the read API answers, as named records so that its OpenAPI description (/openapi/v1.json) has their schemas.

/// <summary>A group at a glance (GET /groups). Today is the UTC day.</summary>
public sealed record GroupOverview(
    string GroupId,
    string Name,
    IReadOnlyList<string> Terminals,
    int Stations,
    int Connectors,
    long StreamVersion,
    int Occupied,
    int Starting,
    int Charging,
    int Available,
    int FaultedOrUnavailable,
    int OfflineStations,
    int WaitingPayments,
    int Sessions,
    int SessionsToday,
    long CapturedTodayMinor,
    string Currency
);

/// <summary>A connector now; Unknown with no since before any event described it. Out of service: by whom, why, since
/// when.</summary>
public sealed record ConnectorNow(
    string ChargePointId,
    int ConnectorId,
    string State,
    DateTimeOffset? Since,
    OutOfServiceView? OutOfService = null
);

/// <summary>A group now (GET /groups/{groupId}): its stations' presence, every connector, what waits and what runs,
/// and the operators' last acts with the stations' answers (newest first).</summary>
public sealed record GroupNow(
    string GroupId,
    string Name,
    Tariff Tariff,
    int PaymentWaitSeconds,
    long StreamVersion,
    IReadOnlyList<StationPresenceView> Stations,
    IReadOnlyList<ConnectorNow> Connectors,
    IReadOnlyList<WaitingPaymentView> WaitingPayments,
    IReadOnlyList<SessionView> Sessions,
    IReadOnlyList<ActView> RecentActs
);

/// <summary>A session, by the payment that paid for it (GET /sessions).</summary>
public sealed record SessionRow(
    string? SessionId,
    string GroupId,
    string? ChargePointId,
    int? ConnectorId,
    int? TransactionId,
    string PaymentId,
    DateTimeOffset? StartedAt,
    DateTimeOffset? StoppedAt,
    long? EnergyWh,
    string Status,
    long? CapturedMinor,
    string Currency
);

/// <summary>A settled payment (GET /groups/{groupId}/settled): the void's reason in the contract's word and in an
/// operator's.</summary>
public sealed record SettledPayment(
    string PaymentId,
    string Status,
    DateTimeOffset SettledAt,
    string? ChargePointId,
    int? ConnectorId,
    long? EnergyWh,
    long? CapturedMinor,
    long HeldMinor,
    string Currency,
    string? VoidReason,
    string? VoidMeaning
);

/// <summary>A payment's record and its story (GET /payments/{paymentId}/story).</summary>
public sealed record PaymentStoryView(PaymentRecord Payment, IReadOnlyList<StoryLine> Story);

/// <summary>Why a read found nothing.</summary>
public sealed record ApiError(string Error);
