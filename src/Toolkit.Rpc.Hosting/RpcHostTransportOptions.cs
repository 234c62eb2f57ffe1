namespace Toolkit.Rpc.Hosting;

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
