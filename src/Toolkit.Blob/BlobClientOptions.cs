using Toolkit.Rpc;

namespace Toolkit.Blob;

/// <summary>A blob client's settings: retries, timeouts, authentication.</summary>
public sealed class BlobClientOptions
{
    /// <summary>
    /// How many times a transfer is tried before its error is thrown; 5 by default. Only retryable failures
    /// (<see cref="BlobException.IsRetryable"/>) are tried again.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The backoff before the second try; each later one doubles it, up to <see cref="MaxBackoff"/>. 200 ms by default.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest backoff; 10 s by default.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The share of each backoff that is random, 0 to 1; 0.5 by default (a backoff of 400 ms waits 200–400 ms), so
    /// that clients failed by one event do not all come back at once.
    /// </summary>
    public double Jitter { get; set; } = 0.5;

    /// <summary>How long connecting, TLS and the handshake may take; 10 s by default.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a transfer may stay silent before it fails (and is retried); 60 s by default.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The name under which this client references the permanent blobs it uploads (and a cache those it holds); a
    /// random one by default. Give a stable one to a process that must release its references after a restart.
    /// </summary>
    public string HolderId { get; set; } = "client-" + Guid.NewGuid().ToString("n");

    /// <summary>
    /// Where transfers connect, <c>host:port</c>; asked from the server's endpoint when null (the default). After a
    /// failed connection the address is asked again, so a new leader is found.
    /// </summary>
    public string? TransferAddress { get; set; }

    /// <summary>
    /// The secret the server requires; the RPC service's <see cref="RpcTransportOptions.SharedSecret"/> when null (with
    /// <see cref="BlobClient.Create"/>). Transfers use TLS when the RPC service does, with its settings.
    /// </summary>
    public string? SharedSecret { get; set; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        BlobServerOptions.RequirePositive(InitialBackoff, nameof(InitialBackoff));
        BlobServerOptions.RequirePositive(ConnectTimeout, nameof(ConnectTimeout));
        BlobServerOptions.RequirePositive(IdleTimeout, nameof(IdleTimeout));
        if (MaxBackoff < InitialBackoff)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBackoff), MaxBackoff, $"The longest backoff must be at least the initial one ({InitialBackoff}).");
        }

        if (Jitter is < 0 or > 1 || double.IsNaN(Jitter))
        {
            throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "The jitter is a share of the backoff, between 0 and 1.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(HolderId, nameof(HolderId));
        if (TransferAddress is not null)
        {
            _ = TransferEndpoint.Parse(TransferAddress, nameof(TransferAddress));
        }
    }
}
