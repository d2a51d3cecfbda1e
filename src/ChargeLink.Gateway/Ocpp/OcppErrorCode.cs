namespace ChargeLink.Gateway.Ocpp;

/// <summary>
/// The CALLERROR codes of OCPP-J: 1.6's (section 4.2.3) and 2.x's (part 4, section 4.3), which respells two of them and
/// adds two for frames that are no RPC at all. The gateway may use any of them inside; <see cref="Spelled"/> writes
/// each in the words of the connection's version, at the one place every CALLERROR leaves (StationConnection).
/// </summary>
public static class OcppErrorCode
{
    public const string NotImplemented = "NotImplemented";
    public const string NotSupported = "NotSupported";
    public const string InternalError = "InternalError";
    public const string ProtocolError = "ProtocolError";
    public const string SecurityError = "SecurityError";
    public const string FormationViolation = "FormationViolation";
    public const string PropertyConstraintViolation = "PropertyConstraintViolation";
    public const string OccurenceConstraintViolation = "OccurenceConstraintViolation";
    public const string TypeConstraintViolation = "TypeConstraintViolation";
    public const string GenericError = "GenericError";

    // OCPP-J 2.x only.
    public const string FormatViolation = "FormatViolation";
    public const string OccurrenceConstraintViolation = "OccurrenceConstraintViolation";
    public const string MessageTypeNotSupported = "MessageTypeNotSupported";
    public const string RpcFrameworkError = "RpcFrameworkError";

    /// <summary>
    /// <paramref name="code"/> as <paramref name="subprotocol"/> spells it. 1.6 knows none of 2.x's frame codes: a
    /// frame that is no RPC, of an unknown type or with a payload that is no text is a FormationViolation there.
    /// </summary>
    public static string Spelled(string code, string subprotocol) =>
        subprotocol == OcppVersion.V16
            ? code switch
            {
                FormatViolation or MessageTypeNotSupported or RpcFrameworkError => FormationViolation,
                OccurrenceConstraintViolation => OccurenceConstraintViolation,
                _ => code,
            }
            : code switch
            {
                FormationViolation => FormatViolation,
                OccurenceConstraintViolation => OccurrenceConstraintViolation,
                _ => code,
            };
}
