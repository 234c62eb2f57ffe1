using Toolkit.Rpc;

namespace Toolkit.Blob;

/// <summary>
/// A blob server's settings. The defaults follow Flink's blob server where it has one (50 concurrent transfers, a
/// backlog of 1,000, cleanup every hour).
/// </summary>
public sealed class BlobServerOptions
{
    /// <summary>The name of the server's control endpoint; <c>blobserver</c> by default.</summary>
    public string EndpointName { get; set; } = "blobserver";

    /// <summary>The directory that holds the server's blobs. Required.</summary>
    public string Directory { get; set; } = "";

    /// <summary>
    /// A shared directory (NFS, a mounted volume) that mirrors every permanent blob, so that a new leader serves what
    /// its predecessor took in; null for none. Ignored when the server is given an <see cref="IBlobHaStore"/> of its own
    /// (registered in DI, or passed to <see cref="BlobServer.StartAsync"/>).
    /// </summary>
    public string? HaDirectory { get; set; }

    /// <summary>Where transfers are accepted, <c>host:port</c>; <c>127.0.0.1:0</c> (a free port on loopback) by default.</summary>
    public string Listen { get; set; } = "127.0.0.1:0";

    /// <summary>The host clients are told to connect to; the host of <see cref="Listen"/> when null.</summary>
    public string? AdvertisedHost { get; set; }

    /// <summary>The most transfers running at once; 50 by default.</summary>
    public int MaxConcurrentTransfers { get; set; } = 50;

    /// <summary>
    /// The most transfers waiting for a slot; 1,000 by default. A connection beyond it is answered at once with
    /// <see cref="BlobError.Busy"/>, which clients retry after a backoff.
    /// </summary>
    public int MaxBacklog { get; set; } = 1000;

    /// <summary>How long a transfer may stay silent (a stalled client) before it fails and its upload is discarded; 60 s by default.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often expired blobs are removed; 1 hour by default, as Flink's <c>blob.service.cleanup.interval</c>.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a permanent blob is kept after its last holder released it; 1 hour by default. A blob released is
    /// deleted by the first cleanup after its grace, so within two cleanup intervals when the grace is at most one.
    /// </summary>
    public TimeSpan ReleaseGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an unread transient blob is kept; 1 hour by default.</summary>
    public TimeSpan TransientTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The free space an upload must leave on the store's disk; 64 MiB by default. Below it, uploads fail with <see cref="BlobError.StorageFull"/>.</summary>
    public long MinFreeBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Whether the server re-hashes every stored blob when it starts and drops the corrupted ones; true by default.</summary>
    public bool VerifyOnStart { get; set; } = true;

    /// <summary>
    /// The secret clients must prove (HMAC-SHA256 over fresh nonces, as the RPC handshake); the RPC service's
    /// <see cref="RpcTransportOptions.SharedSecret"/> when null. Transfers use TLS when the RPC service does
    /// (<see cref="RpcTransportOptions.Tls"/>), with its certificate.
    /// </summary>
    public string? SharedSecret { get; set; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("The blob server needs a directory for its blobs.", nameof(Directory));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(EndpointName, nameof(EndpointName));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentTransfers, 1, nameof(MaxConcurrentTransfers));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxBacklog, nameof(MaxBacklog));
        ArgumentOutOfRangeException.ThrowIfNegative(MinFreeBytes, nameof(MinFreeBytes));
        RequirePositive(IdleTimeout, nameof(IdleTimeout));
        RequirePositive(CleanupInterval, nameof(CleanupInterval));
        RequirePositive(TransientTtl, nameof(TransientTtl));
        if (ReleaseGrace < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ReleaseGrace), ReleaseGrace, "The release grace must not be negative.");
        }

        _ = TransferEndpoint.Parse(Listen, nameof(Listen));
    }

    internal static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        }
    }
}
