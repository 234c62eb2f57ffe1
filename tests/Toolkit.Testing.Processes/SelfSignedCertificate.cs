using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Toolkit.Testing.Processes;

/// <summary>A throwaway certificate for the TLS tests: self-signed for localhost, valid from yesterday to tomorrow.</summary>
public static class SelfSignedCertificate
{
    /// <summary>A new certificate for <c>localhost</c> (server authentication), with its private key.</summary>
    public static X509Certificate2 ForLocalhost()
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
}
