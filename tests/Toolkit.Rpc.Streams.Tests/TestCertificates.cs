using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Toolkit.Rpc.Streams.Tests;

/// <summary>A self-signed certificate for localhost, and TLS options that serve it and pin it.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Create()
    {
        using RSA key = RSA.Create(2048);
        CertificateRequest request = new("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        SubjectAlternativeNameBuilder names = new();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }

    /// <summary>Both sides' options: the server presents the certificate, the client accepts only it.</summary>
    public static RpcTlsOptions Options(X509Certificate2 certificate) => new()
    {
        ServerCertificate = certificate,
        TargetHost = "localhost",
        RemoteCertificateValidation = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString(),
    };
}
