using System.Diagnostics;

namespace Toolkit.Blob;

/// <summary>What the server knows of one stored blob. Guarded by the store's gate.</summary>
[DebuggerDisplay("{Kind} {Job} {Key} ({Length} B, {Holders.Count} holders)")]
internal sealed class StoredBlob(BlobKind kind, JobId? job, BlobKey key)
{
    public BlobKind Kind { get; } = kind;

    public JobId? Job { get; } = job;

    public BlobKey Key { get; } = key;

    /// <summary>The content's length; -1 while the blob is only in the HA store (not yet restored).</summary>
    public long Length { get; set; } = -1;

    /// <summary>Whether the file is in the local directory (a new leader restores from the HA store on first read).</summary>
    public bool Local { get; set; }

    /// <summary>Who references a permanent blob: uploaders and caches, by holder id.</summary>
    public HashSet<string> Holders { get; } = new(StringComparer.Ordinal);

    /// <summary>When a permanent blob lost its last holder; null while it has one.</summary>
    public DateTimeOffset? ReleasedAt { get; set; }

    /// <summary>How many confirmed reads a transient blob still awaits: one per upload of the same content.</summary>
    public int PendingReads { get; set; }

    /// <summary>When an unread transient blob is deleted.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
