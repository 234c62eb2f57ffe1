namespace Toolkit.Blob;

/// <summary>A job's registrations with a cache: while any, its blobs are kept; after the last release, for the TTL.</summary>
internal sealed class CachedJob
{
    public int References { get; set; }

    public DateTimeOffset? ReleasedAt { get; set; }
}
