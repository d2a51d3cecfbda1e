using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace ChargeLink.Gateway.Stations;

/// <summary>
/// The gateway's TLS, where CHARGELINK_GATEWAY_URL is https: its certificate and key from
/// CHARGELINK_GATEWAY_CERTIFICATE (a PKCS#12 file), for security profile 2. With CHARGELINK_GATEWAY_CLIENT_CA (PEM: the
/// CA certificate(s) that sign station certificates) it also asks each client for a certificate, for security profile
/// 3: one that is not chained to that CA, out of date, or not meant for clients ends the TLS handshake; none at all is
/// allowed (profile 2 stations send none), and whether the certificate names the station is the upgrade's question
/// (<see cref="StationCredentials"/>).
/// </summary>
public sealed class GatewayTls : IMainEndpointTls
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2Collection? _stationCas;

    public GatewayTls(IConfiguration configuration)
    {
        var path = configuration["CHARGELINK_GATEWAY_CERTIFICATE"] is { Length: > 0 } configured
            ? configured
            : throw new InvalidOperationException(
                "CHARGELINK_GATEWAY_URL is https: set CHARGELINK_GATEWAY_CERTIFICATE to the "
                    + "gateway's certificate and key as a PKCS#12 (.pfx) file"
            );
        _certificate = X509CertificateLoader.LoadPkcs12FromFile(
            path,
            configuration["CHARGELINK_GATEWAY_CERTIFICATE_PASSWORD"]
        );
        if (!_certificate.HasPrivateKey)
            throw new InvalidOperationException($"CHARGELINK_GATEWAY_CERTIFICATE: {path} holds no private key");
        if (configuration["CHARGELINK_GATEWAY_CLIENT_CA"] is { Length: > 0 } caPath)
        {
            _stationCas = [];
            _stationCas.ImportFromPemFile(caPath);
            if (_stationCas.Count == 0)
                throw new InvalidOperationException($"CHARGELINK_GATEWAY_CLIENT_CA: {caPath} holds no PEM certificate");
        }
    }

    /// <summary>Whether stations on security profile 3 can be served here (a station CA is configured).</summary>
    public bool AsksForClientCertificates => _stationCas is not null;

    public void Configure(ListenOptions listen) =>
        listen.UseHttps(
            new HttpsConnectionAdapterOptions
            {
                ServerCertificate = _certificate,
                ClientCertificateMode = _stationCas is null
                    ? ClientCertificateMode.NoCertificate
                    : ClientCertificateMode.AllowCertificate,
                ClientCertificateValidation = (certificate, _, _) => IsStationCertificate(certificate),
            }
        );

    /// <summary>Chained to a station CA (and only to one of those, not to the machine's roots), in date, for client
    /// use.</summary>
    public bool IsStationCertificate(X509Certificate2 certificate)
    {
        if (_stationCas is null)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_stationCas);
        // Revocation is not checked: a station CA seldom publishes a CRL the gateway can reach; a station is withdrawn
        // by taking it out of the topology (or re-keying the CA).
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        return chain.Build(certificate);
    }
}
