namespace Toolkit.Rpc.Hosting;

/// <summary>
/// The service's options as configuration holds them (for example the section <c>Rpc</c> of <c>appsettings.json</c>);
/// validated when the host starts, and turned into <see cref="RpcServiceOptions"/>.
/// </summary>
/// <example>
/// <code>
/// "Rpc": {
///   "NodeId": "resourcemanager-1",
///   "Listen": "0.0.0.0:6123",
///   "DefaultTimeout": "00:00:10",
///   "Transport": { "SharedSecretFile": "/run/secrets/rpc", "MaxFrameSize": 8388608,
///                  "Tls": { "CertificatePath": "tls/node.pem", "KeyPath": "tls/node.key" } }
/// }
/// </code>
/// </example>
public sealed class RpcHostOptions
{
    /// <summary>The service's unique id; a random one when not set.</summary>
    public string? NodeId { get; set; }

    /// <summary><c>host:port</c> to listen on; unset, the service has no listener (client mode).</summary>
    public string? Listen { get; set; }

    /// <summary>The timeout of calls whose method and caller set none (<see cref="RpcServiceOptions.DefaultTimeout"/>).</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Sends local calls through the serializers too (<see cref="RpcServiceOptions.SerializeLocalCalls"/>).</summary>
    public bool SerializeLocalCalls { get; set; }

    /// <summary>The transport's settings.</summary>
    public RpcHostTransportOptions Transport { get; set; } = new();
}

/// <summary>The transport's settings in configuration; see <see cref="Rpc.RpcTransportOptions"/>.</summary>
public sealed class RpcHostTransportOptions
{
    /// <summary>The secret both sides must prove; null runs without authentication.</summary>
    public string? SharedSecret { get; set; }

    /// <summary>A file holding the secret (its text, trimmed), so that the secret stays out of configuration files.</summary>
    public string? SharedSecretFile { get; set; }

    /// <summary>The largest frame this service accepts, in bytes.</summary>
    public int MaxFrameSize { get; set; } = Rpc.RpcTransportOptions.DefaultMaxFrameSize;

    /// <summary>Calls a connection may have in flight each way.</summary>
    public int MaxPendingCalls { get; set; } = 10_000;

    /// <summary>Bytes a connection's send queue may hold.</summary>
    public int MaxQueuedBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long connecting and the handshake may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether each plain TCP connection has a reader thread of its own.</summary>
    public bool DedicatedReaders { get; set; } = true;

    /// <summary>How long a dedicated reader polls before it sleeps.</summary>
    public TimeSpan ReceiveSpin { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>TLS, from certificate files; null for plain TCP.</summary>
    public RpcHostTlsOptions? Tls { get; set; }
}

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
