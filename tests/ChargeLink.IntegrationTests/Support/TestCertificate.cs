using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>
/// A self-signed certificate for 127.0.0.1 in a PKCS#12 file of its own, as an operator gives the gateway with
/// CHARGELINK_GATEWAY_CERTIFICATE: trusted by nothing on this machine, only by a test that asks <see cref="IsThis"/>.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private const string Pkcs12Password = "test-pfx";
    private readonly X509Certificate2 _certificate;

    private TestCertificate(string path, X509Certificate2 certificate)
    {
        Path = path;
        _certificate = certificate;
    }

    /// <summary>The PKCS#12 (.pfx) file: certificate and private key, protected by <see cref="Password"/>.</summary>
    public string Path { get; }

    public string Password => Pkcs12Password;

    public static TestCertificate Create()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"chargelink-gateway-{Guid.NewGuid():N}.pfx");
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Pkcs12Password));
        return new TestCertificate(path, X509CertificateLoader.LoadPkcs12FromFile(path, Pkcs12Password));
    }

    /// <summary>True for this certificate and no other: a client's trust in the gateway, without any CA.</summary>
    public bool IsThis(X509Certificate? presented) => presented is not null && presented.GetCertHashString() == _certificate.Thumbprint;

    public void Dispose()
    {
        _certificate.Dispose();
        File.Delete(Path);
    }
}
