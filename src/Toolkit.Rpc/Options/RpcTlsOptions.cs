using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Toolkit.Rpc;

/// <summary>TLS for a service's connections, through <see cref="SslStream"/>.</summary>
public sealed class RpcTlsOptions
{
    /// <summary>The certificate, with its private key, that a listening service presents. Required to listen with TLS.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>The name a client checks the server's certificate against; the host of the address by default.</summary>
    public string? TargetHost { get; init; }

    /// <summary>
    /// Decides whether a server's certificate is accepted; the platform's validation when null. Tests and private
    /// deployments pin their own certificate here.
    /// </summary>
    public RemoteCertificateValidationCallback? RemoteCertificateValidation { get; init; }
}
