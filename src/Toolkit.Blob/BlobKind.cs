namespace Toolkit.Blob;

/// <summary>How long the blob server keeps a blob.</summary>
public enum BlobKind : byte
{
    /// <summary>
    /// Read once: deleted after its first confirmed read (one read per upload of the same content), or when it
    /// expires unread (<see cref="BlobServerOptions.TransientTtl"/>). Belongs to no job.
    /// </summary>
    Transient = 1,

    /// <summary>
    /// Belongs to a job; kept while a holder (the uploader, a cache) references it, and for
    /// <see cref="BlobServerOptions.ReleaseGrace"/> after the last release. Mirrored to the HA store when one is set.
    /// </summary>
    Permanent = 2,
}
