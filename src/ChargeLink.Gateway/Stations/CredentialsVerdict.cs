namespace ChargeLink.Gateway.Stations;

/// <summary>What <see cref="StationCredentials.Check"/> makes of a station's upgrade request.</summary>
public enum CredentialsVerdict
{
    Accepted,

    /// <summary>The station has a password and presented none, or a wrong one.</summary>
    BadCredentials,

    /// <summary>The station has no password and the topology does not say securityProfile 0 for it: refused whatever it
    /// sends.</summary>
    NoPasswordAllowed,

    /// <summary>A profile-3 station that presented no client certificate (or reached a gateway that asks for
    /// none).</summary>
    NoCertificate,

    /// <summary>A profile-3 station whose certificate, valid and of the right CA, names another station.</summary>
    CertificateOfAnother,
}
