namespace ChargeLink.Gateway.Ocpp;

/// <summary>A payload that breaks the OCPP 1.6 message definitions; becomes a CALLERROR with <see
/// cref="Code"/>.</summary>
public sealed class OcppViolation(string code, string description) : Exception(description)
{
    public string Code { get; } = code;
}
