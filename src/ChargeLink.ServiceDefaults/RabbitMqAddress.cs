using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// The parts of an amqp[s]://user:pass@host:port/vhost URL, as RabbitMQ clients want them. amqps is TLS (port 5671
/// unless given), with the broker's certificate checked against the machine's trust store, or against <see
/// cref="CaFile"/> (a PEM CA certificate, for a broker with a certificate of the operator's own CA).
/// </summary>
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    public bool Tls { get; init; }

    /// <summary>A PEM file with the CA certificate that signed the broker's certificate
    /// (CHARGELINK_RABBITMQ_CA).</summary>
    public string? CaFile { get; init; }

    public static RabbitMqAddress Parse(Uri uri, string? caFile = null)
    {
        if (uri.Scheme is not ("amqp" or "amqps" or "rabbitmq"))
            throw new InvalidOperationException($"CHARGELINK_RABBITMQ: \"{uri}\" must be an amqp:// or amqps:// URL");
        var tls = uri.Scheme == "amqps";
        var user = uri.UserInfo.Split(':', 2);
        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqAddress(
            uri.Host,
            uri.IsDefaultPort || uri.Port <= 0 ? (ushort)(tls ? 5671 : 5672) : (ushort)uri.Port,
            vhost.Length == 0 ? "/" : vhost,
            user.Length > 0 && user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : "guest",
            user.Length > 1 ? Uri.UnescapeDataString(user[1]) : "guest"
        )
        {
            Tls = tls,
            CaFile = caFile,
        };
    }

    /// <summary>The same broker, logged in to as <paramref name="account"/>, on <paramref name="virtualHost"/> if
    /// given.</summary>
    public RabbitMqAddress With(BrokerAccount account, string? virtualHost = null) =>
        this with
        {
            Username = account.User,
            Password = account.Password,
            VirtualHost = virtualHost ?? VirtualHost,
        };

    /// <summary>A RabbitMQ.Client factory for the few places that talk to the broker without MassTransit.</summary>
    public RabbitMQ.Client.ConnectionFactory ConnectionFactory(string clientName) =>
        new()
        {
            HostName = Host,
            Port = Port,
            VirtualHost = VirtualHost,
            UserName = Username,
            Password = Password,
            ClientProvidedName = clientName,
            Ssl = Tls
                ? new RabbitMQ.Client.SslOption
                {
                    Enabled = true,
                    ServerName = Host,
                    CertificateValidationCallback = ValidateCertificate,
                }
                : new RabbitMQ.Client.SslOption(),
        };

    /// <summary>
    /// The machine's trust decides, except that a broker certificate chaining to <see cref="CaFile"/> is trusted too. A
    /// name that does not match the host is refused either way.
    /// </summary>
    public bool ValidateCertificate(
        object sender,
        X509Certificate? certificate,
        X509Chain? chain,
        SslPolicyErrors errors
    )
    {
        if (errors == SslPolicyErrors.None)
            return true;
        if (CaFile is null || certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
            return false;
        using var ca = X509CertificateLoader.LoadCertificateFromFile(CaFile);
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return custom.Build(presented);
    }

    public override string ToString() =>
        $"{(Tls ? "amqps" : "amqp")}://{Username}@{Host}:{Port}/{(VirtualHost == "/" ? "" : VirtualHost)}";
}
