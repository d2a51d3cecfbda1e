using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>
/// A station CA made in the test, as a site operator's PKI would issue station certificates (OCPP security profile 3):
/// its certificate as the PEM file the gateway is given (CHARGELINK_GATEWAY_CLIENT_CA), and client certificates it signs.
/// </summary>
public sealed class StationCertificates : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    public StationCertificates(string name)
    {
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Valid since long before any certificate it issues in a test, expired ones included.
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(1));
        PemPath = Path.Combine(Path.GetTempPath(), $"chargelink-station-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(PemPath, Authority.ExportCertificatePem());
    }

    public X509Certificate2 Authority { get; }

    /// <summary>The CA's certificate, PEM, for CHARGELINK_GATEWAY_CLIENT_CA.</summary>
    public string PemPath { get; }

    /// <summary>A client certificate with its key, CN = <paramref name="chargePointId"/>, valid from and until the times given.</summary>
    public X509Certificate2 Station(string chargePointId, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={chargePointId}, O=Test station vendor", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var until = notAfter ?? DateTimeOffset.UtcNow.AddDays(30);
        using var issued = request.Create(Authority, from, until, RandomNumberGenerator.GetBytes(12));
        // Through PKCS#12, so that the key is one the TLS stack can use on every platform.
        return X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pfx), null);
    }

    public void Dispose()
    {
        Authority.Dispose();
        _key.Dispose();
        File.Delete(PemPath);
    }
}
