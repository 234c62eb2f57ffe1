using System.Security.Cryptography.X509Certificates;

namespace Toolkit.Rpc.Streams.Tests;

/// <summary>TLS options that serve a certificate and pin it.</summary>
internal static class TestCertificates
{
    /// <summary>Both sides' options: the server presents the certificate, the client accepts only it.</summary>
    public static RpcTlsOptions Options(X509Certificate2 certificate) => new()
    {
        ServerCertificate = certificate,
        TargetHost = "localhost",
        RemoteCertificateValidation = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString(),
    };
}
