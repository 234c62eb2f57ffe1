using System.Diagnostics;

namespace Toolkit.Blob;

/// <summary>One blob in a cache: its file, its size, when it was last used, and its download while one runs. Guarded by the cache's lock.</summary>
[DebuggerDisplay("{Job} {Key} ({Length} B, ready: {Ready})")]
internal sealed class CacheEntry(JobId job, BlobKey key, string path)
{
    public JobId Job { get; } = job;

    public BlobKey Key { get; } = key;

    public string Path { get; } = path;

    public long Length { get; set; }

    public DateTimeOffset LastUsed { get; set; }

    /// <summary>The download in progress, which every concurrent request for the blob awaits; null once the file is there.</summary>
    public Task<string>? Download { get; set; }

    public bool Ready => Download is null;
}
