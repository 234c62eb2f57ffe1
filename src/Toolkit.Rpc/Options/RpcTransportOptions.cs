namespace Toolkit.Rpc;

/// <summary>How an <see cref="RpcService"/> talks to other services over TCP.</summary>
public sealed class RpcTransportOptions
{
    /// <summary>The default largest frame: 4 MiB, as gRPC's default message limit.</summary>
    public const int DefaultMaxFrameSize = 4 * 1024 * 1024;

    /// <summary>
    /// A secret shared by every service of a deployment. When set, a connection is used only after both sides
    /// proved they know it (HMAC-SHA256 over fresh nonces; the secret itself never crosses the wire), and no call
    /// is dispatched before. A service with a secret refuses peers without one and the other way round.
    /// </summary>
    public string? SharedSecret { get; init; }

    /// <summary>Encrypts connections with TLS; both sides of a connection must enable it.</summary>
    public RpcTlsOptions? Tls { get; init; }

    /// <summary>
    /// The largest frame (one call or one reply, with its header) this service accepts and sends. A larger request
    /// fails on its caller at once; a larger frame from a peer closes that connection. 4 MiB by default.
    /// </summary>
    public int MaxFrameSize { get; init; } = DefaultMaxFrameSize;

    /// <summary>
    /// The most calls awaiting a reply on one connection, in each direction. Beyond it, new asks wait for a slot
    /// (within their timeout) and the service stops reading a peer's calls until its own replies catch up.
    /// 10,000 by default.
    /// </summary>
    public int MaxPendingCalls { get; init; } = 10_000;

    /// <summary>
    /// The most bytes queued for sending on one connection. Beyond it, asks wait for the queue to drain and
    /// one-way calls are dropped with a logged warning (a one-way call never waits). 16 MiB by default.
    /// </summary>
    public int MaxQueuedBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>How long connecting, TLS and the handshake may take together; 5 seconds by default.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether each plain TCP connection has a reader thread of its own, which runs the callers and endpoint turns its
    /// frames made runnable itself, so that a call crosses no thread (the default). When false, and always with TLS,
    /// connections read on the thread pool.
    /// </summary>
    public bool DedicatedReaders { get; init; } = true;

    /// <summary>
    /// How long a dedicated reader with nothing to read keeps polling its socket before it sleeps: a busy connection
    /// then never pays for waking a halted core. At most half the cores spin at once, and on Linux none while the cores
    /// are oversubscribed (a reader measures how long it waits for a core), since polling would then keep a core from
    /// the thread that sends the data. 1 ms by default; zero sleeps at once.
    /// </summary>
    public TimeSpan ReceiveSpin { get; init; } = TimeSpan.FromMilliseconds(1);

    internal void Validate()
    {
        if (SharedSecret is { Length: 0 })
        {
            throw new ArgumentException("The shared secret must not be empty: leave it null to run without authentication.", nameof(SharedSecret));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameSize, 1024, nameof(MaxFrameSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingCalls, 1, nameof(MaxPendingCalls));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedBytes, MaxFrameSize, nameof(MaxQueuedBytes));
        if (ReceiveSpin < TimeSpan.Zero || ReceiveSpin > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveSpin), ReceiveSpin, "The receive spin must be between zero and one second.");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "The connect timeout must be positive.");
        }
    }
}
