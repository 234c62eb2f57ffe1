namespace Toolkit.Rpc.Hosting;

/// <summary>TLS from files: this service's certificate (servers), and what it trusts (clients).</summary>
public sealed class RpcHostTlsOptions
{
    /// <summary>This service's certificate: a PEM file (with <see cref="KeyPath"/>) or a PKCS#12 (.pfx/.p12) file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>; unset for PKCS#12 or a PEM holding its key.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of a PKCS#12 file or an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The name a client expects in the server's certificate; by default the host it connects to.</summary>
    public string? TargetHost { get; set; }

    /// <summary>
    /// A PEM file of the certificates a client trusts as the server's issuer (or as the server's own certificate), for
    /// private CAs and self-signed clusters; unset, the system's trust store decides.
    /// </summary>
    public string? TrustedCertificatesPath { get; set; }
}
