namespace Toolkit.Blob;

/// <summary>A worker-side blob cache's settings.</summary>
public sealed class BlobCacheOptions
{
    /// <summary>The directory that holds the cached blobs. Required.</summary>
    public string Directory { get; set; } = "";

    /// <summary>
    /// How long the blobs of a job are kept after the job's last reference was released (or, for a job never
    /// registered, after their last use); 1 hour by default, as Flink's cache.
    /// </summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often expired blobs are removed; 5 minutes by default.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most bytes the cache keeps on disk; 0 (the default) for no limit. Beyond it, the least recently used blobs
    /// are evicted (their files deleted, their server references released) until the cache fits again; a blob being
    /// downloaded is never evicted. An evicted blob is downloaded again by the next <see cref="BlobCache.GetAsync(JobId, BlobKey, CancellationToken)"/>.
    /// </summary>
    public long QuotaBytes { get; set; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("The blob cache needs a directory.", nameof(Directory));
        }

        BlobServerOptions.RequirePositive(Ttl, nameof(Ttl));
        BlobServerOptions.RequirePositive(CleanupInterval, nameof(CleanupInterval));
        ArgumentOutOfRangeException.ThrowIfNegative(QuotaBytes, nameof(QuotaBytes));
    }
}
